// GET /openapi/v2: the Swagger 2.0 document kubectl 1.27/1.28 read before apply, edit, diff and explain.
// client-go asks for it as protobuf (gnostic's openapi_v2.Document, `Accept: application/com.github.
// proto-openapi.spec.v2@v1.0+protobuf`) and does not fall back to JSON, so the emulator encodes the few
// messages it needs (Document, Info, Definitions, NamedSchema, Schema, TypeItem, Properties, ItemsItem,
// NamedAny, Any) with a small protobuf writer. Definitions only: no paths.
import type { JSONSchemaProps } from '../crds/schema.ts';
import { kindSchemas } from './openapiSchemas.ts';
import type { ResourceTable } from './resources.ts';

// --- protobuf wire format: varints and length-delimited fields (wire type 2) are all these messages use ---

const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};

type Field = Buffer;

const bytesField = (no: number, payload: Buffer): Field =>
  Buffer.concat([Buffer.from(varint((no << 3) | 2)), Buffer.from(varint(payload.length)), payload]);

const str = (no: number, s: string | undefined): Field[] =>
  s === undefined || s === '' ? [] : [bytesField(no, Buffer.from(s, 'utf8'))];

const msg = (no: number, fields: Field[]): Field => bytesField(no, Buffer.concat(fields));

// --- gnostic messages (field numbers of openapiv2/OpenAPIv2.proto) ---

/** NamedAny{name=1, value=2 Any{yaml=2}} */
const namedAny = (no: number, name: string, yaml: string): Field =>
  msg(no, [...str(1, name), msg(2, str(2, yaml))]);

const gvkYaml = (g: { group: string; version: string; kind: string }): string =>
  `- group: ${JSON.stringify(g.group)}\n  kind: ${g.kind}\n  version: ${g.version}\n`;

/** Schema: description=4, required=19, type=22 TypeItem{value=1}, items=23 ItemsItem{schema=1},
 *  properties=25 Properties{additional_properties=1 NamedSchema{name=1, value=2}}, format=2, vendor_extension=31. */
const schemaFields = (s: JSONSchemaProps, extensions: Field[] = []): Field[] => {
  const fields: Field[] = [...str(2, s.format), ...str(4, s.description)];
  for (const r of s.required ?? []) fields.push(...str(19, r));
  if (s.type) fields.push(msg(22, str(1, s.type)));
  if (s.items) fields.push(msg(23, [msg(1, schemaFields(s.items))]));
  const props = Object.entries(s.properties ?? {});
  if (props.length > 0) {
    fields.push(
      msg(
        25,
        props.map(([name, p]) => msg(1, [...str(1, name), msg(2, schemaFields(p))])),
      ),
    );
  }
  return [...fields, ...extensions];
};

export const openapiV2Json = (table: ResourceTable) => ({
  swagger: '2.0',
  info: { title: 'Kubernetes (spiderpool-ts emulator)', version: 'v1.32.0' },
  paths: {},
  definitions: Object.fromEntries(
    kindSchemas(table.all).map((k) => [k.name, { ...k.schema, 'x-kubernetes-group-version-kind': [k.gvk] }]),
  ),
});

/** Document{swagger=1, info=2 Info{title=1, version=2}, paths=8, definitions=9 Definitions{additional_properties=1}}. */
export const openapiV2Protobuf = (table: ResourceTable): Buffer => {
  const defs = kindSchemas(table.all).map((k) =>
    msg(1, [
      ...str(1, k.name),
      msg(2, schemaFields(k.schema, [namedAny(31, 'x-kubernetes-group-version-kind', gvkYaml(k.gvk))])),
    ]),
  );
  return Buffer.concat([
    ...str(1, '2.0'),
    msg(2, [...str(1, 'Kubernetes (spiderpool-ts emulator)'), ...str(2, 'v1.32.0')]),
    msg(8, []),
    msg(9, defs),
  ]);
};
