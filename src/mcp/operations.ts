import { z } from 'zod';
import type { Role } from '../auth/principal';
import { validationError } from '../lib/create-router';
import { ApiError } from '../lib/problem';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** A REST operation as its route defines it (`protectedRoute`): what a tool is made of. */
export interface Operation {
  method: string;
  path: string;
  summary?: string;
  description?: string;
  'x-roles': readonly Role[];
  request?: {
    params?: z.ZodType;
    query?: z.ZodType;
    body?: { content: Record<string, { schema: unknown }> };
  };
  responses: Record<string | number, { content?: Record<string, { schema: unknown }> }>;
}

/** The parts of an operation's request, and the argument names each takes. */
interface Parts {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

const parts = (operation: Operation): Parts => ({
  params: operation.request?.params,
  query: operation.request?.query,
  body: operation.request?.body?.content['application/json']?.schema as z.ZodType | undefined,
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const isObject = (schema: JsonSchema) => schema.type === 'object' && schema.properties !== undefined;

/**
 * A tool's input schema: the operation's path parameters, query parameters and JSON body fields
 * side by side in one object (a body that is not an object is the argument `body`). Names never
 * collide in the routes the tools use; a collision would be a mistake, so it throws.
 */
export function inputSchema(operation: Operation): JsonSchema {
  const { params, query, body } = parts(operation);
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let additionalProperties: unknown = false;
  const add = (schema: JsonSchema) => {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (name in properties) throw new Error(`${operation.method} ${operation.path}: argument ${name} is defined twice`);
      properties[name] = property;
    }
    required.push(...(schema.required ?? []));
  };
  if (params) add(jsonSchema(params, 'input'));
  if (query) add(jsonSchema(query, 'input'));
  if (body) {
    const schema = jsonSchema(body, 'input');
    if (isObject(schema)) {
      add(schema);
      additionalProperties = schema.additionalProperties ?? true;
    } else {
      add({ properties: { body: schema }, required: ['body'] });
    }
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties };
}

/** The JSON body of the operation's success answer, when it is an object (MCP's `outputSchema`). */
export function outputSchema(operation: Operation): JsonSchema | undefined {
  const success = Object.entries(operation.responses).find(([status]) => Number(status) >= 200 && Number(status) < 300)?.[1];
  const schema = success?.content?.['application/json']?.schema as z.ZodType | undefined;
  if (!schema) return undefined;
  const json = jsonSchema(schema, 'output');
  return json.type === 'object' ? json : undefined;
}

const names = (schema: z.ZodType | undefined) =>
  new Set(schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : []);

const queryValues = (value: unknown): string[] =>
  value === undefined || value === null
    ? []
    : Array.isArray(value)
      ? value.flatMap(queryValues)
      : [typeof value === 'object' ? JSON.stringify(value) : String(value)];

/**
 * The HTTP request a tool call stands for: arguments sorted back into path, query and body by the
 * operation's own schemas, so that the route validates them exactly as it validates a REST call.
 * Path parameters are checked here (a missing one would otherwise name another path), and an
 * argument the operation does not take is refused rather than ignored.
 */
export function toRequest(operation: Operation, args: Record<string, unknown>, origin: string, headers: Headers): Request {
  const { params, query, body } = parts(operation);
  const paramNames = names(params);
  const queryNames = names(query);
  const bodyIsObject = body instanceof z.ZodObject;
  const pathArgs: Record<string, unknown> = {};
  const search = new URLSearchParams();
  let payload: unknown = bodyIsObject ? {} : args.body;
  const unknown: string[] = [];

  for (const [name, value] of Object.entries(args)) {
    if (paramNames.has(name)) pathArgs[name] = value;
    else if (queryNames.has(name)) for (const item of queryValues(value)) search.append(name, item);
    else if (bodyIsObject) (payload as Record<string, unknown>)[name] = value;
    else if (!(body && name === 'body')) unknown.push(name);
  }
  if (unknown.length) {
    throw new ApiError(422, 'VALIDATION_FAILED', 'The tool arguments are invalid.', {
      errors: unknown.map((name) => ({ path: name, message: 'This tool takes no such argument.' })),
    });
  }
  if (params) {
    const checked = params.safeParse(pathArgs);
    if (!checked.success) throw validationError('param', checked.error);
  }

  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(pathArgs[name])));
  const url = new URL(path, origin);
  url.search = search.toString();
  const hasBody = body !== undefined;
  if (hasBody) headers.set('content-type', 'application/json');
  return new Request(url, {
    method: operation.method.toUpperCase(),
    headers,
    ...(hasBody ? { body: JSON.stringify(payload ?? null) } : {}),
  });
}
