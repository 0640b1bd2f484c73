/**
 * ONNX files read, rewritten and written with the small protobuf codec of proto.ts (no
 * protobuf library): `inspectOnnx` (what a graph takes and gives, its opsets, metadata,
 * operators and class labels), `stripZipMap` (a classifier's ZipMap output, a sequence of
 * maps ONNX Runtime for JavaScript cannot return, turned back into the probability tensor
 * it wraps) and builders for the exporter (nodes, attributes, initializers, value infos,
 * graphs, models).
 *
 * Convention: field numbers and enums are those of ONNX's onnx.proto (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
 * TensorShapeProto, OperatorSetIdProto, StringStringEntryProto), named once below.
 * Builders write fields in field-number order, as protobuf's own serializers do, and
 * proto2's repeated scalars unpacked except where onnx.proto asks for [packed = true].
 * Rewrites keep every field they do not change byte for byte (proto.ts).
 */
import { UserError } from '../errors.js';
import {
  ProtoError,
  bytesField,
  decodeMessage,
  encodeMessage,
  fieldBytes,
  fieldInt,
  fieldMessage,
  fieldString,
  fieldsNumbered,
  floatField,
  lastField,
  messageField,
  repeatedVarints,
  stringField,
  varintField,
  WIRE_LEN,
  WIRE_VARINT,
} from './proto.js';
import type { Field, Message } from './proto.js';

export type { Field, Message } from './proto.js';

// ---------------------------------------------------------------------------------------
// onnx.proto field numbers

const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  domain: 4,
  modelVersion: 5,
  docString: 6,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
} as const;
const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13, sparseInitializer: 15 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, strings: 9, tensors: 10, graphs: 11, type: 20 } as const;
/** AttributeProto.AttributeType. */
const ATTRIBUTE_TYPE = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;
const TENSOR = { dims: 1, dataType: 2, stringData: 6, name: 8, rawData: 9 } as const;
const SPARSE_TENSOR = { values: 1 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensor: 1, sequence: 4, map: 5 } as const;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const SEQUENCE_TYPE = { elemType: 1 } as const;
const MAP_TYPE = { keyType: 1, valueType: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIMENSION = { value: 1, param: 2 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const ENTRY = { key: 1, value: 2 } as const;

/** The deepest nesting of subgraphs or types read (exporters write a few levels; a hostile file could write thousands). */
const MAX_NESTING = 64;

export type ElemType =
  'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'string' | 'bool';

/** TensorProto.DataType codes of the element types we name. */
const DATA_TYPE: Record<ElemType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
};
const ELEM_TYPE = new Map<number, ElemType>(Object.entries(DATA_TYPE).map(([name, code]) => [code, name as ElemType]));

/** The opset domain of ONNX's own operators is '' (also spelled 'ai.onnx'). */
const DEFAULT_DOMAIN = '';
const ML_DOMAIN = 'ai.onnx.ml';

// ---------------------------------------------------------------------------------------
// Reading

export interface ValueInfo {
  name: string;
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  /** A tensor's element type; a sequence's elements' (recursively); a map's values'. Null when unknown or not one we name. */
  elemType: ElemType | null;
  /** A tensor's dimensions (a number, a symbolic name, or null when unnamed), or null when its rank is unknown or it is not a tensor. */
  shape: Array<number | string | null> | null;
}

export interface GraphInfo {
  irVersion: number;
  producer: string;
  /** Opset version by domain: '' for ONNX's own operators (also when the file says 'ai.onnx'), 'ai.onnx.ml', ... */
  opsets: Record<string, number>;
  /** The graph inputs that are not initializers. */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** metadata_props (a prototype-less object: any key is safe). */
  metadata: Record<string, string>;
  /** Distinct operators, in first-seen order (subgraphs included; '' is ONNX's own domain). */
  operators: Array<{ domain: string; opType: string }>;
  /** The class labels the first classifier node names (ints as decimal text), or null. */
  classLabels: string[] | null;
}

const NOT_ONNX_HINT =
  'Point at the model exported to ONNX (skl2onnx, torch.onnx.export, tf2onnx or onnxmltools write a binary .onnx file); ' +
  'a file cut short by a download or a copy must be fetched again.';

/** The domain as the opsets key it: '' for ONNX's own operators. */
function normalDomain(domain: string): string {
  return domain === 'ai.onnx' ? DEFAULT_DOMAIN : domain;
}

/** An embedded message's fields (ProtoError when the field is not one: the bytes are not ONNX). */
const message = fieldMessage;

function str(msg: Message, number: number): string {
  const field = lastField(msg, number);
  return field ? fieldString(field) : '';
}

function int(msg: Message, number: number): number | null {
  const field = lastField(msg, number);
  return field ? fieldInt(field) : null;
}

/** Why `bytes` are not an ONNX model, or null when they decode as a ModelProto with a graph. */
function parseModel(bytes: Uint8Array): { model: Field[]; graph: Field[] } | string {
  if (bytes.length === 0) return 'the file is empty';
  let first = 0;
  while (
    first < bytes.length &&
    first < 64 &&
    (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)
  )
    first++;
  const lead = bytes[first];
  if (lead === 0x7b || lead === 0x5b)
    return `it holds text starting with "${String.fromCharCode(lead)}", like JSON; an ONNX model is a binary protobuf file`;
  if (lead === 0x3c) return 'it holds text starting with "<", like HTML or XML; an ONNX model is a binary protobuf file';
  let model: Field[];
  try {
    model = decodeMessage(bytes);
  } catch (error) {
    return `not a protobuf message: ${(error as Error).message}`;
  }
  const ir = lastField(model, MODEL.irVersion);
  const graphField = lastField(model, MODEL.graph);
  if (!ir || ir.wire !== WIRE_VARINT) return 'no ir_version field';
  if (!graphField || graphField.wire !== WIRE_LEN) return 'no graph field';
  let graph: Field[];
  try {
    graph = decodeMessage(graphField.data);
  } catch (error) {
    return `its graph is not a protobuf message: ${(error as Error).message}`;
  }
  return { model, graph };
}

/** What an ONNX model takes and gives. Throws a UserError naming `shownPath` for bytes that are not an ONNX model. */
export function inspectOnnx(bytes: Uint8Array, shownPath: string): GraphInfo {
  const parsed = parseModel(bytes);
  const notOnnx = (reason: string) => new UserError(`${shownPath} is not an ONNX model (${reason})`, NOT_ONNX_HINT);
  if (typeof parsed === 'string') throw notOnnx(parsed);
  try {
    return describeModel(parsed.model, parsed.graph);
  } catch (error) {
    if (error instanceof ProtoError) throw notOnnx(`malformed: ${error.message}`);
    throw error;
  }
}

function describeModel(model: Field[], graph: Field[]): GraphInfo {
  const opsets: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const field of fieldsNumbered(model, MODEL.opsetImport)) {
    const opset = message(field);
    opsets[normalDomain(str(opset, OPSET.domain))] = int(opset, OPSET.version) ?? 0;
  }
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const field of fieldsNumbered(model, MODEL.metadataProps)) {
    const entry = message(field);
    metadata[str(entry, ENTRY.key)] = str(entry, ENTRY.value);
  }
  const initializers = new Set<string>();
  for (const field of fieldsNumbered(graph, GRAPH.initializer)) initializers.add(str(message(field), TENSOR.name));
  for (const field of fieldsNumbered(graph, GRAPH.sparseInitializer)) {
    const values = lastField(message(field), SPARSE_TENSOR.values);
    if (values) initializers.add(str(message(values), TENSOR.name));
  }
  const inputs = fieldsNumbered(graph, GRAPH.input)
    .map((f) => readValueInfo(message(f)))
    .filter((v) => !initializers.has(v.name));
  const outputs = fieldsNumbered(graph, GRAPH.output).map((f) => readValueInfo(message(f)));
  const operators: Array<{ domain: string; opType: string }> = [];
  const seen = new Set<string>();
  let classLabels: string[] | null = null;
  const visit = (g: Field[], top: boolean, depth = 0) => {
    // Subgraphs (If, Loop, Scan) nest; a file nesting them without end is not a model anyone exported.
    if (depth > MAX_NESTING) throw new ProtoError(`subgraphs nested more than ${MAX_NESTING} deep`);
    for (const field of fieldsNumbered(g, GRAPH.node)) {
      const node = message(field);
      const domain = normalDomain(str(node, NODE.domain));
      const opType = str(node, NODE.opType);
      const key = `${domain}\u0000${opType}`;
      if (!seen.has(key)) {
        seen.add(key);
        operators.push({ domain, opType });
      }
      const attributes = fieldsNumbered(node, NODE.attribute).map(message);
      if (top && classLabels === null && opType !== 'LabelEncoder') classLabels = classLabelsOf(attributes);
      for (const attribute of attributes) {
        for (const sub of fieldsNumbered(attribute, ATTRIBUTE.g)) visit(message(sub), false, depth + 1);
        for (const sub of fieldsNumbered(attribute, ATTRIBUTE.graphs)) visit(message(sub), false, depth + 1);
      }
    }
  };
  visit(graph, true);
  return {
    irVersion: int(model, MODEL.irVersion) ?? 0,
    producer: str(model, MODEL.producerName),
    opsets,
    inputs,
    outputs,
    metadata,
    operators,
    classLabels,
  };
}

/** A classifier's labels (classlabels_strings, classlabels_int64s or classlabels_ints), or null when the node has none. */
function classLabelsOf(attributes: Field[][]): string[] | null {
  for (const attribute of attributes) {
    const name = str(attribute, ATTRIBUTE.name);
    if (name === 'classlabels_strings') {
      const labels = fieldsNumbered(attribute, ATTRIBUTE.strings).map((f) => fieldString(f));
      if (labels.length > 0) return labels;
    } else if (name === 'classlabels_int64s' || name === 'classlabels_ints') {
      const labels = repeatedVarints(attribute, ATTRIBUTE.ints).map((v) => BigInt.asIntN(64, v).toString());
      if (labels.length > 0) return labels;
    }
  }
  return null;
}

function readValueInfo(msg: Field[]): ValueInfo {
  const typeField = lastField(msg, VALUE_INFO.type);
  return { name: str(msg, VALUE_INFO.name), ...readType(typeField ? message(typeField) : null) };
}

function readType(type: Field[] | null, depth = 0): Omit<ValueInfo, 'name'> {
  if (!type) return { kind: 'other', elemType: null, shape: null };
  if (depth > MAX_NESTING) throw new ProtoError(`types nested more than ${MAX_NESTING} deep`);
  const tensor = lastField(type, TYPE.tensor);
  if (tensor) {
    const t = message(tensor);
    const code = int(t, TENSOR_TYPE.elemType);
    const shapeField = lastField(t, TENSOR_TYPE.shape);
    const shape = shapeField
      ? fieldsNumbered(message(shapeField), SHAPE.dim).map((d) => {
          const dim = message(d);
          const value = lastField(dim, DIMENSION.value);
          if (value) return fieldInt(value);
          const param = lastField(dim, DIMENSION.param);
          return param ? fieldString(param) : null;
        })
      : null;
    return { kind: 'tensor', elemType: code === null ? null : (ELEM_TYPE.get(code) ?? null), shape };
  }
  const sequence = lastField(type, TYPE.sequence);
  if (sequence) {
    const elem = lastField(message(sequence), SEQUENCE_TYPE.elemType);
    return { kind: 'sequence', elemType: elem ? readType(message(elem), depth + 1).elemType : null, shape: null };
  }
  const map = lastField(type, TYPE.map);
  if (map) {
    const value = lastField(message(map), MAP_TYPE.valueType);
    return { kind: 'map', elemType: value ? readType(message(value), depth + 1).elemType : null, shape: null };
  }
  return { kind: 'other', elemType: null, shape: null };
}

// ---------------------------------------------------------------------------------------
// Rewriting

/**
 * Replaces each ZipMap node whose output is a graph output by an Identity node (same
 * input and output names), so the output is the float tensor [N, C] of probabilities the
 * ZipMap wrapped (its declared type is rewritten so; value_info entries for it are
 * dropped). `stripped` lists the outputs changed; with none, `bytes` is returned as is.
 * Everything else in the file is kept byte for byte. Throws ProtoError for bytes that do
 * not decode (call inspectOnnx first for a UserError).
 */
export function stripZipMap(bytes: Uint8Array): { bytes: Uint8Array; stripped: string[] } {
  const model = decodeMessage(bytes);
  const graphIndex = model.findLastIndex((f) => f.number === MODEL.graph);
  if (graphIndex < 0) return { bytes, stripped: [] };
  const graph = decodeMessage(fieldBytes(model[graphIndex]!));
  const outputNames = new Set(fieldsNumbered(graph, GRAPH.output).map((f) => str(message(f), VALUE_INFO.name)));
  const stripped = new Map<string, number | null>();
  const newGraph: Field[] = graph.map((field) => {
    if (field.number !== GRAPH.node) return field;
    const node = message(field);
    if (str(node, NODE.opType) !== 'ZipMap' || str(node, NODE.domain) !== ML_DOMAIN) return field;
    const outputs = fieldsNumbered(node, NODE.output).map(fieldString);
    const inputs = fieldsNumbered(node, NODE.input).map(fieldString);
    if (outputs.length !== 1 || inputs.length !== 1 || !outputNames.has(outputs[0]!)) return field;
    const labels = classLabelsOf(fieldsNumbered(node, NODE.attribute).map(message));
    stripped.set(outputs[0]!, labels ? labels.length : null);
    const name = lastField(node, NODE.name);
    return messageField(GRAPH.node, [
      ...node.filter((f) => f.number === NODE.input || f.number === NODE.output),
      ...(name ? [name] : []),
      stringField(NODE.opType, 'Identity'),
    ]);
  });
  if (stripped.size === 0) return { bytes, stripped: [] };
  // The batch dimension as the first graph input declares it (value, name or unnamed), else "N".
  let batchDim: Message = [stringField(DIMENSION.param, 'N')];
  const firstInput = fieldsNumbered(graph, GRAPH.input)[0];
  const inputType = firstInput && lastField(message(firstInput), VALUE_INFO.type);
  const inputTensor = inputType && lastField(message(inputType), TYPE.tensor);
  const inputShape = inputTensor && lastField(message(inputTensor), TENSOR_TYPE.shape);
  const inputBatch = inputShape && fieldsNumbered(message(inputShape), SHAPE.dim)[0];
  if (inputBatch) batchDim = message(inputBatch).filter((f) => f.number === DIMENSION.value || f.number === DIMENSION.param);
  const rewritten = newGraph
    .filter((field) => field.number !== GRAPH.valueInfo || !stripped.has(str(message(field), VALUE_INFO.name)))
    .map((field) => {
      if (field.number !== GRAPH.output) return field;
      const info = message(field);
      const name = str(info, VALUE_INFO.name);
      const classes = stripped.get(name);
      if (classes === undefined) return field;
      const classDim: Message = classes === null ? [stringField(DIMENSION.param, 'C')] : [varintField(DIMENSION.value, classes)];
      const type = messageField(VALUE_INFO.type, [
        messageField(TYPE.tensor, [
          varintField(TENSOR_TYPE.elemType, DATA_TYPE.float32),
          messageField(TENSOR_TYPE.shape, [messageField(SHAPE.dim, batchDim), messageField(SHAPE.dim, classDim)]),
        ]),
      ]);
      const kept = info.filter((f) => f.number !== VALUE_INFO.type);
      return messageField(GRAPH.output, [
        ...kept.filter((f) => f.number < VALUE_INFO.type),
        type,
        ...kept.filter((f) => f.number > VALUE_INFO.type),
      ]);
    });
  const newModel = model.slice();
  newModel[graphIndex] = messageField(MODEL.graph, rewritten);
  // Identity is an ONNX operator: import ONNX's default domain when the model does not.
  const imports = fieldsNumbered(model, MODEL.opsetImport).map((f) => normalDomain(str(message(f), OPSET.domain)));
  if (!imports.includes(DEFAULT_DOMAIN))
    newModel.push(messageField(MODEL.opsetImport, [stringField(OPSET.domain, DEFAULT_DOMAIN), varintField(OPSET.version, 13)]));
  return { bytes: encodeMessage(newModel), stripped: [...stripped.keys()] };
}

// ---------------------------------------------------------------------------------------
// Building

/** Attributes of a node (AttributeProto messages), by value type. */
export const attr = {
  float: (name: string, value: number): Message => [
    stringField(ATTRIBUTE.name, name),
    floatField(ATTRIBUTE.f, value),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.FLOAT),
  ],
  int: (name: string, value: number | bigint): Message => [
    stringField(ATTRIBUTE.name, name),
    varintField(ATTRIBUTE.i, value),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.INT),
  ],
  string: (name: string, value: string): Message => [
    stringField(ATTRIBUTE.name, name),
    stringField(ATTRIBUTE.s, value),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.STRING),
  ],
  tensor: (name: string, tensor: Message): Message => [
    stringField(ATTRIBUTE.name, name),
    messageField(ATTRIBUTE.t, tensor),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.TENSOR),
  ],
  floats: (name: string, values: ArrayLike<number>): Message => [
    stringField(ATTRIBUTE.name, name),
    ...Array.from(values, (v) => floatField(ATTRIBUTE.floats, v)),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.FLOATS),
  ],
  ints: (name: string, values: ReadonlyArray<number | bigint>): Message => [
    stringField(ATTRIBUTE.name, name),
    ...values.map((v) => varintField(ATTRIBUTE.ints, v)),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.INTS),
  ],
  strings: (name: string, values: readonly string[]): Message => [
    stringField(ATTRIBUTE.name, name),
    ...values.map((v) => stringField(ATTRIBUTE.strings, v)),
    varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.STRINGS),
  ],
};

export interface NodeOptions {
  /** The node's name (unique in the graph); none by default. */
  name?: string;
  /** The operator's domain: '' (ONNX's own, the default) or 'ai.onnx.ml'. */
  domain?: string;
  attributes?: readonly Message[];
}

/** A NodeProto: `opType` from `inputs` to `outputs`. */
export function makeNode(opType: string, inputs: readonly string[], outputs: readonly string[], options: NodeOptions = {}): Message {
  return [
    ...inputs.map((name) => stringField(NODE.input, name)),
    ...outputs.map((name) => stringField(NODE.output, name)),
    ...(options.name !== undefined ? [stringField(NODE.name, options.name)] : []),
    stringField(NODE.opType, opType),
    ...(options.attributes ?? []).map((a) => messageField(NODE.attribute, a)),
    ...(options.domain ? [stringField(NODE.domain, options.domain)] : []),
  ];
}

/** The values of a tensor: float32 and int64 are stored as little-endian raw_data, strings as string_data. */
export type TensorValues =
  | { type: 'float32'; values: ArrayLike<number> }
  | { type: 'int64'; values: ReadonlyArray<number | bigint> | BigInt64Array }
  | { type: 'string'; values: readonly string[] };

/** A TensorProto (an initializer, or a tensor attribute's value) of shape `dims`. */
export function makeTensor(name: string, dims: readonly number[], data: TensorValues): Message {
  const count = dims.reduce((n, d) => n * d, 1);
  if (data.values.length !== count) throw new RangeError(`tensor ${name}: ${data.values.length} values for shape [${dims.join(', ')}]`);
  const fields: Field[] = [...dims.map((d) => varintField(TENSOR.dims, d)), varintField(TENSOR.dataType, DATA_TYPE[data.type])];
  if (data.type === 'string') fields.push(...data.values.map((v) => stringField(TENSOR.stringData, v)));
  // No name field for an unnamed tensor (an attribute's value), as onnx.helper writes it.
  if (name !== '') fields.push(stringField(TENSOR.name, name));
  if (data.type === 'float32') {
    const raw = new Uint8Array(count * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) view.setFloat32(i * 4, data.values[i]!, true);
    fields.push(bytesField(TENSOR.rawData, raw));
  } else if (data.type === 'int64') {
    const raw = new Uint8Array(count * 8);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) view.setBigInt64(i * 8, BigInt(data.values[i]!), true);
    fields.push(bytesField(TENSOR.rawData, raw));
  }
  return fields;
}

/** A TypeProto.Tensor of `elemType`; `shape` null leaves the rank unknown (a null dimension is unnamed). */
function tensorType(elemType: ElemType, shape: ReadonlyArray<number | string | null> | null): Message {
  const fields: Field[] = [varintField(TENSOR_TYPE.elemType, DATA_TYPE[elemType])];
  if (shape)
    fields.push(
      messageField(
        TENSOR_TYPE.shape,
        shape.map((d) =>
          messageField(
            SHAPE.dim,
            d === null ? [] : typeof d === 'number' ? [varintField(DIMENSION.value, d)] : [stringField(DIMENSION.param, d)],
          ),
        ),
      ),
    );
  return fields;
}

/** A ValueInfoProto of a tensor (a graph input or output). */
export function makeValueInfo(name: string, elemType: ElemType, shape: ReadonlyArray<number | string | null> | null): Message {
  return [stringField(VALUE_INFO.name, name), messageField(VALUE_INFO.type, [messageField(TYPE.tensor, tensorType(elemType, shape))])];
}

export interface GraphSpec {
  name: string;
  nodes: readonly Message[];
  initializers: readonly Message[];
  inputs: readonly Message[];
  outputs: readonly Message[];
  docString?: string;
}

/** A GraphProto. */
export function makeGraph(spec: GraphSpec): Message {
  return [
    ...spec.nodes.map((n) => messageField(GRAPH.node, n)),
    stringField(GRAPH.name, spec.name),
    ...spec.initializers.map((t) => messageField(GRAPH.initializer, t)),
    ...(spec.docString ? [stringField(GRAPH.docString, spec.docString)] : []),
    ...spec.inputs.map((v) => messageField(GRAPH.input, v)),
    ...spec.outputs.map((v) => messageField(GRAPH.output, v)),
  ];
}

export interface ModelSpec {
  graph: Message;
  irVersion: number;
  /** Opset version by domain ('' for ONNX's own operators). */
  opsets: Readonly<Record<string, number>>;
  producerName: string;
  producerVersion?: string;
  docString?: string;
  /** metadata_props, in order. */
  metadata?: ReadonlyArray<readonly [string, string]>;
}

/** The bytes of a ModelProto. */
export function makeModel(spec: ModelSpec): Uint8Array {
  return encodeMessage([
    varintField(MODEL.irVersion, spec.irVersion),
    stringField(MODEL.producerName, spec.producerName),
    ...(spec.producerVersion !== undefined ? [stringField(MODEL.producerVersion, spec.producerVersion)] : []),
    ...(spec.docString ? [stringField(MODEL.docString, spec.docString)] : []),
    messageField(MODEL.graph, spec.graph),
    ...Object.entries(spec.opsets).map(([domain, version]) =>
      messageField(MODEL.opsetImport, [stringField(OPSET.domain, domain), varintField(OPSET.version, version)]),
    ),
    ...(spec.metadata ?? []).map(([key, value]) =>
      messageField(MODEL.metadataProps, [stringField(ENTRY.key, key), stringField(ENTRY.value, value)]),
    ),
  ]);
}
