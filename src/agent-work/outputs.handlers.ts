import { and, eq, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import type { Database } from '../db/client';
import { feedback, outputs } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { errorFields } from '../lib/logger';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { insertOutput } from './outputs.queries';
import { FORMAT_FILES, type OutputFormat } from './outputs.schemas';
import type { createFeedback, createOutput, getFeedback, getOutput, getOutputContent } from './outputs.routes';
import { runNotFound } from './runs.handlers';

/**
 * Formats a browser would execute (HTML; SVG, XML or XHTML if ever added). Stored content is
 * written by agents and machine clients, and served from the API's own origin: an active format is
 * a download, never a page, and sandboxed (no script, no same-origin access) should it be rendered.
 */
const ACTIVE_FORMATS: Record<OutputFormat, boolean> = { markdown: false, json: false, html: true };

const activeContentHeaders = (filename: string) => ({
  'content-disposition': `attachment; filename="${filename}"`,
  'content-security-policy': "sandbox; default-src 'none'",
});

const outputNotFound = () => new ApiError(404, 'OUTPUT_NOT_FOUND', 'No such output in this client.');


function outputWithFeedback(db: Database, clientId: string, id: string) {
  return db
    .select({ output: { id: outputs.id }, feedback })
    .from(outputs)
    .leftJoin(feedback, and(eq(feedback.clientId, outputs.clientId), eq(feedback.outputId, outputs.id)))
    .where(and(eq(outputs.id, id), eq(outputs.clientId, clientId)));
}

/**
 * Database first, then R2: the record (`insertOutput`: a run that is not this client's inserts
 * nothing, so nothing is ever uploaded for it), then the content. If the upload then fails, the
 * record is removed again (the only second round trip, on that failure path alone), so no output
 * points at content that does not exist.
 */
export const create: AppRouteHandler<typeof createOutput> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id: runId } = c.req.valid('param');
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const file = FORMAT_FILES[input.format];
  const [, rows] = await c.var.tenant.run((db) => [
    db.execute(insertOutput({ id, clientId, runId, format: input.format, title: input.title, content: input.content })),
    db.select().from(outputs).where(and(eq(outputs.id, id), eq(outputs.clientId, clientId))),
  ]);
  const output = rows[0];
  if (!output) throw runNotFound();
  try {
    await c.env.OBJECTS.put(output.objectKey, new TextEncoder().encode(input.content), { httpMetadata: { contentType: file.contentType } });
  } catch (error) {
    c.var.logger.error('output content not stored; removing its record', { output_id: id, ...errorFields(error) });
    await c.var.tenant
      .run((db) => [db.delete(outputs).where(and(eq(outputs.id, id), eq(outputs.clientId, clientId)))])
      .catch((cleanup: unknown) => c.var.logger.error('output record not removed', { output_id: id, ...errorFields(cleanup) }));
    throw new ApiError(503, 'STORAGE_UNAVAILABLE', 'The output could not be stored; retry shortly.', {
      headers: { 'retry-after': '2' },
      cause: error,
    });
  }
  return c.json(toApi(output), 201);
};

export const get: AppRouteHandler<typeof getOutput> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(outputs).where(and(eq(outputs.id, id), eq(outputs.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw outputNotFound();
  return c.json(toApi(rows[0]), 200);
};

export const content: AppRouteHandler<typeof getOutputContent> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select({ objectKey: outputs.objectKey, format: outputs.format })
        .from(outputs)
        .where(and(eq(outputs.id, id), eq(outputs.clientId, clientId))),
    ],
    { readOnly: true },
  );
  const output = rows[0];
  if (!output) throw outputNotFound();
  const object = await c.env.OBJECTS.get(output.objectKey);
  if (!object) throw new ApiError(404, 'OUTPUT_CONTENT_MISSING', 'The content of this output is not in storage.');
  const file = FORMAT_FILES[output.format];
  return c.body(object.body, 200, {
    'content-type': file.contentType,
    'content-length': String(object.size),
    etag: object.httpEtag,
    ...(ACTIVE_FORMATS[output.format] ? activeContentHeaders(`${id}.${file.extension}`) : {}),
  });
};

export const createReview: AppRouteHandler<typeof createFeedback> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const { id: outputId } = c.req.valid('param');
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const reviewerId = principal.kind === 'user' ? principal.subject : null;
  const score = (value: number | undefined) => sql`${value ?? null}::int`;
  // Insert … select from the output: another client's output inserts nothing; a second review
  // conflicts on the unique output_id and inserts nothing. The read that follows says which.
  const [, rows] = await c.var.tenant.run((db) => [
    db.execute(sql`
      insert into feedback (id, client_id, output_id, reviewer_id, overall_score, accuracy_score, quality_score, usefulness_score,
                            rule_compliance_score, what_worked_well, issues, suggested_rule_changes, source, reviewer_name)
      select ${id}::uuid, o.client_id, o.id, ${reviewerId}::uuid, ${score(input.overall_score)}, ${score(input.accuracy_score)},
             ${score(input.quality_score)}, ${score(input.usefulness_score)}, ${score(input.rule_compliance_score)},
             ${input.what_worked_well ?? null}::text, ${JSON.stringify(input.issues ?? [])}::jsonb,
             ${JSON.stringify(input.suggested_rule_changes ?? [])}::jsonb, ${input.source}::feedback_source, ${input.reviewer_name ?? null}::text
      from outputs o
      where o.id = ${outputId}::uuid and o.client_id = ${principal.clientId}::uuid
      on conflict (output_id) do nothing`),
    outputWithFeedback(db, principal.clientId, outputId),
  ]);
  const row = rows[0];
  if (!row) throw outputNotFound();
  if (row.feedback?.id !== id) throw new ApiError(409, 'FEEDBACK_EXISTS', 'This output already has feedback.');
  return c.json(toApi(row.feedback), 201);
};

export const getReview: AppRouteHandler<typeof getFeedback> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [outputWithFeedback(db, clientId, id)], { readOnly: true });
  const row = rows[0];
  if (!row) throw outputNotFound();
  if (!row.feedback) throw new ApiError(404, 'FEEDBACK_NOT_FOUND', 'This output has no feedback yet.');
  return c.json(toApi(row.feedback), 200);
};
