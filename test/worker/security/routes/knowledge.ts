import { sql } from 'drizzle-orm';
import { EMBEDDING_DIMENSIONS } from '../../../../src/db/schema';
import { asSystem } from '../../../helpers/db';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

const embedding = (seed: number) => Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => Math.round(Math.cos(seed + i) * 1e4) / 1e5);
const literal = (values: number[]) => `[${values.join(',')}]`;

/** A fresh knowledge base of client `a` with two chunks (system path), so destructive routes never touch the fixture rows. */
export async function newKnowledgeBase(a: FixtureIds): Promise<{ kb: string; chunk: string }> {
  const kb = crypto.randomUUID();
  const chunk = crypto.randomUUID();
  await asSystem(
    sql`insert into knowledge_bases (id, client_id, name, source_type) values (${kb}, ${a.clients}, 'Suite KB', 'document')`,
    sql`insert into knowledge_chunks (id, client_id, knowledge_base_id, content, embedding, chunk_index, token_count)
        values (${chunk}, ${a.clients}, ${kb}, 'Returns are accepted within 30 days.', ${literal(embedding(1))}::vector, 0, 8),
               (${crypto.randomUUID()}, ${a.clients}, ${kb}, 'Shipping takes three days.', ${literal(embedding(2))}::vector, 1, 5)`,
  );
  return { kb, chunk };
}

const ingestBody = () => ({
  embedding_model: 'text-embedding-3-small',
  chunks: [
    { chunk_index: 0, content: 'Our support line is open on weekdays.', embedding: embedding(3), token_count: 8, metadata: { tags: ['support'] } },
  ],
});

/** Knowledge bases, chunks and search. */
export const KNOWLEDGE_ROUTES: Record<string, RouteSpec> = {
  'GET /v1/knowledge-bases': { valid: async () => ({ path: '/v1/knowledge-bases?limit=5&source_type=faq&is_active=true' }) },
  'POST /v1/knowledge-bases': {
    valid: async () => ({
      path: '/v1/knowledge-bases',
      body: { name: 'Product manual', description: 'v2 manual', source_type: 'document', source_ref: 'https://example.test/manual.pdf' },
    }),
  },
  'GET /v1/knowledge-bases/{id}': { valid: async (a) => ({ path: `/v1/knowledge-bases/${a.knowledge_bases}` }) },
  'PATCH /v1/knowledge-bases/{id}': {
    valid: async (a) => ({ path: `/v1/knowledge-bases/${a.knowledge_bases}`, body: { description: 'Edited by the suite' } }),
  },
  'DELETE /v1/knowledge-bases/{id}': { valid: async (a) => ({ path: `/v1/knowledge-bases/${(await newKnowledgeBase(a)).kb}` }) },
  'POST /v1/knowledge-bases/{id}/chunks': {
    valid: async (a) => ({ path: `/v1/knowledge-bases/${(await newKnowledgeBase(a)).kb}/chunks`, body: ingestBody() }),
  },
  'GET /v1/knowledge-bases/{id}/chunks': { valid: async (a) => ({ path: `/v1/knowledge-bases/${a.knowledge_bases}/chunks?limit=10` }) },
  'DELETE /v1/knowledge-bases/{id}/chunks': { valid: async (a) => ({ path: `/v1/knowledge-bases/${(await newKnowledgeBase(a)).kb}/chunks` }) },
  'DELETE /v1/knowledge-bases/{id}/chunks/{chunk_id}': {
    valid: async (a) => {
      const { kb, chunk } = await newKnowledgeBase(a);
      return { path: `/v1/knowledge-bases/${kb}/chunks/${chunk}` };
    },
  },
  'POST /v1/knowledge/search': {
    valid: async () => ({ path: '/v1/knowledge/search', body: { mode: 'hybrid', query: 'shipping', embedding: embedding(1), k: 5 } }),
  },
};
