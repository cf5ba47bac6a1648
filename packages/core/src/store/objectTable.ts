// The objects of a MemoryStore: kind -> namespace -> name -> stored snapshot, so get and update are O(1)
// and a namespace-scoped list touches only its namespace. Snapshots are never mutated once stored.
import type { KubeObject } from '../api/meta.ts';
import type { ResolvedRef } from './objectRules.ts';

type Names = Map<string, KubeObject>;

export class ObjectTable {
  readonly #kinds = new Map<string, Map<string, Names>>();

  get(ref: ResolvedRef): KubeObject | undefined {
    return this.#kinds.get(ref.kind)?.get(ref.namespace)?.get(ref.name);
  }

  set(ref: ResolvedRef, object: KubeObject): void {
    let namespaces = this.#kinds.get(ref.kind);
    if (!namespaces) {
      namespaces = new Map();
      this.#kinds.set(ref.kind, namespaces);
    }
    let names = namespaces.get(ref.namespace);
    if (!names) {
      names = new Map();
      namespaces.set(ref.namespace, names);
    }
    names.set(ref.name, object);
  }

  delete(ref: ResolvedRef): void {
    const namespaces = this.#kinds.get(ref.kind);
    const names = namespaces?.get(ref.namespace);
    if (!names) return;
    names.delete(ref.name);
    if (names.size === 0) namespaces?.delete(ref.namespace);
  }

  /** Objects of a kind (optionally one namespace), sorted by namespace then name. */
  list(kind: string, namespace: string | undefined): KubeObject[] {
    const namespaces = this.#kinds.get(kind);
    if (!namespaces) return [];
    const spaces = namespace === undefined ? [...namespaces.keys()].sort() : [namespace];
    const out: KubeObject[] = [];
    for (const ns of spaces) {
      const names = namespaces.get(ns);
      if (!names) continue;
      for (const name of [...names.keys()].sort()) {
        const object = names.get(name);
        if (object) out.push(object);
      }
    }
    return out;
  }
}
