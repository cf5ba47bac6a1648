// CNI spec versions the runner speaks, and libcni's ordering of them (semver, "x.y.z").
export const CHAIN_CNI_VERSIONS: readonly string[] = [
  '0.1.0',
  '0.2.0',
  '0.3.0',
  '0.3.1',
  '0.4.0',
  '1.0.0',
  '1.1.0',
];

const parts = (v: string): [number, number, number] => {
  const [a, b, c] = v.split('.').map((x) => Number.parseInt(x, 10));
  return [a ?? 0, b ?? 0, c ?? 0];
};

/** a >= b as versions. */
export const versionAtLeast = (a: string, b: string): boolean => {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return true;
};
