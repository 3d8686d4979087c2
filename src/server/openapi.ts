/** The OpenAPI 3.1 document, generated from the route list and its zod schemas (served at /api/openapi.json). */
import { z, type ZodType } from 'zod';
import type { RouteSpec } from './route.js';

function jsonSchema(schema: ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function buildOpenApi(routes: readonly RouteSpec<any, any, any>[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema);
      const props = (js.properties ?? {}) as Record<string, unknown>;
      const required = new Set((js.required as string[] | undefined) ?? []);
      for (const [name, s] of Object.entries(props)) {
        parameters.push({ name, in: where, required: where === 'path' || (required.has(name) && !(s as { default?: unknown }).default), schema: s });
      }
    }
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      'x-roles': r.access === 'public' || r.access === 'authenticated' ? r.access : [...r.access],
      ...(r.patientData ? { 'x-patient-data': true } : {}),
      security: r.access === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
      parameters,
      responses: {
        200: { description: 'OK', content: { 'application/json': {} } },
        400: errorResponse('invalid request; issues name the field'),
        ...(r.access === 'public' ? {} : { 401: errorResponse('not logged in'), 403: errorResponse('role or scope forbids it') }),
      },
    };
    if (r.body) {
      const type = r.bodyKind === 'fhir' ? 'application/fhir+json' : 'application/json';
      op.requestBody = { required: true, content: { [type]: { schema: jsonSchema(r.body) } } };
    } else if (r.bodyKind === 'raw') {
      op.requestBody = { required: true, content: { 'text/csv': {}, 'application/x-ndjson': {}, 'application/octet-stream': {} } };
    }
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MedFund API',
      version: '0.1.0',
      description: 'MedFund — 医保基金监管 · DRG/DIP 支付结算 · 医院成本核算. Money is integer fen; see docs/api.md.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'medfund_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'issues'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
    paths,
  };
}
