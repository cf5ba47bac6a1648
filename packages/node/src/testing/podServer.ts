// Test doubles only: the Pods' workload, a Node HTTP server on :80 inside a Pod netns answering 200 with
// the Pod's name (a Python http.server hangs in a netns), and an HTTP GET run from inside a netns
// (a `curl` stand-in with a deadline).
import { type ChildProcess, spawn } from 'node:child_process';

const SERVER = `const http=require('node:http');const s=http.createServer((q,r)=>{r.writeHead(200);r.end(process.argv[1])});s.listen(80,'0.0.0.0',()=>process.stdout.write('ready\\n'));`;

export interface PodServer {
  stop(): void;
}

/** Starts the server in `netns`; resolves once it listens (or rejects after `deadlineMs`). */
export const startPodServer = (netns: string, answer: string, deadlineMs = 10_000): Promise<PodServer> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      'ip',
      ['netns', 'exec', netns, process.execPath, '-e', SERVER, answer],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pod server in ${netns} did not start within ${deadlineMs} ms`));
    }, deadlineMs);
    child.stdout?.on('data', () => {
      clearTimeout(timer);
      resolve({ stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pod server in ${netns} exited (${code})`));
    });
  });

const GET = `const http=require('node:http');const q=http.get({host:process.argv[1],port:Number(process.argv[2]),path:'/',timeout:Number(process.argv[3])},(r)=>{let b='';r.on('data',(c)=>b+=c);r.on('end',()=>{process.stdout.write(JSON.stringify({status:r.statusCode,body:b}));process.exit(0)})});q.on('timeout',()=>{q.destroy();process.stdout.write(JSON.stringify({error:'timeout'}));process.exit(0)});q.on('error',(e)=>{process.stdout.write(JSON.stringify({error:e.message}));process.exit(0)});`;

export interface HttpAnswer {
  status?: number;
  body?: string;
  error?: string;
}

/** GET http://host:port/ from inside `netns`. */
export const httpGetFrom = (
  netns: string,
  host: string,
  port: number,
  timeoutMs = 2000,
): Promise<HttpAnswer> =>
  new Promise((resolve) => {
    const child = spawn(
      'ip',
      ['netns', 'exec', netns, process.execPath, '-e', GET, host, String(port), String(timeoutMs)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 3000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.on('close', () => {
      clearTimeout(kill);
      try {
        resolve(JSON.parse(out) as HttpAnswer);
      } catch {
        resolve({ error: `no answer: ${out}` });
      }
    });
  });
