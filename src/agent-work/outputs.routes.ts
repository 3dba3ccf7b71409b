import { z } from '@hono/zod-openapi';
import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import { CreateFeedbackSchema, CreateOutputSchema, FeedbackSchema, OutputSchema } from './outputs.schemas';

export const createOutput = protectedRoute({
  method: 'post',
  path: '/v1/runs/{id}/outputs',
  tags: ['outputs'],
  summary: 'Store an output of a run',
  description:
    "The content (1 character to 512 KiB of UTF-8; the whole body at most 1 MiB) goes to object storage under the client's " +
    'storage prefix (`<prefix>outputs/<output id>.<md|json|html>`); the output records the key, format, title (≤ 255), ' +
    'the first 500 characters as preview, and the size in bytes. A run of another client is 404 and stores nothing.',
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(CreateOutputSchema) },
  responses: {
    201: jsonResponse(OutputSchema, 'The output (metadata).'),
    ...problemResponses(400, 404, 413, 422, 503),
  },
});

export const getOutput = protectedRoute({
  method: 'get',
  path: '/v1/outputs/{id}',
  tags: ['outputs'],
  summary: 'Get the metadata of an output',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(OutputSchema, 'The output.'), ...problemResponses(400, 404) },
});

export const getOutputContent = protectedRoute({
  method: 'get',
  path: '/v1/outputs/{id}/content',
  tags: ['outputs'],
  summary: 'Download the content of an output',
  description:
    'Streamed from object storage with the content type of its format. HTML (a format a browser would run) is served as a ' +
    "download (`Content-Disposition: attachment`) under `Content-Security-Policy: sandbox; default-src 'none'`; markdown and " +
    'JSON display inline. 404 `OUTPUT_CONTENT_MISSING` when the object is gone.',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: 'The content.',
      content: {
        'text/markdown; charset=utf-8': { schema: z.string() },
        'application/json': { schema: z.unknown() },
        'text/html; charset=utf-8': { schema: z.string() },
      },
    },
    ...problemResponses(400, 404),
  },
});

export const createFeedback = protectedRoute({
  method: 'post',
  path: '/v1/outputs/{id}/feedback',
  tags: ['feedback'],
  summary: 'Review an output (one review per output)',
  description:
    'Scores are integers 1–5; `overall_score` is required. A second review of the same output is 409 `FEEDBACK_EXISTS`. ' +
    'Up to 50 issues and 50 suggested rule changes; texts up to 2000–5000 characters.',
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(CreateFeedbackSchema) },
  responses: { 201: jsonResponse(FeedbackSchema, 'The feedback.'), ...problemResponses(400, 404, 409, 422) },
});

export const getFeedback = protectedRoute({
  method: 'get',
  path: '/v1/outputs/{id}/feedback',
  tags: ['feedback'],
  summary: 'Get the review of an output',
  description: '404 `OUTPUT_NOT_FOUND` for no such output, 404 `FEEDBACK_NOT_FOUND` when it has no review yet.',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(FeedbackSchema, 'The feedback.'), ...problemResponses(400, 404) },
});
