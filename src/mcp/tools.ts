import { completeRun, createRun, failRun, startRun } from '../agent-work/runs.routes';
import { createOutput } from '../agent-work/outputs.routes';
import { listSkills } from '../agent-work/skills.routes';
import { getDefaultBrandKit } from '../brand/brand-kits.routes';
import { createDecision } from '../engagement/decisions.routes';
import { createEscalation, escalationQueue } from '../engagement/escalations.routes';
import { bulkIngestPosts, getPost } from '../engagement/posts.routes';
import { approveReply, draftReply, rejectReply, replyQueue } from '../engagement/replies.routes';
import { searchKnowledge } from '../knowledge/knowledge.routes';
import { bulkUpsertKpiMetrics, getKpiSeries } from '../learning/kpi.routes';
import type { Operation } from './operations';

/** An MCP tool: a REST operation under an agent-friendly name. */
export interface Tool {
  name: string;
  title: string;
  operation: Operation;
  /** Whether the tool only reads (MCP's `readOnlyHint`). */
  readOnly: boolean;
}

const tool = (name: string, title: string, operation: Operation): Tool => ({
  name,
  title,
  operation,
  readOnly: operation.method === 'get' || operation === searchKnowledge,
});

/**
 * The tools the MCP server offers, each one REST operation: its schemas are the tools' input and
 * output schemas, its roles decide who sees and calls it, and a call is served by the operation's
 * own route (validation, SQL, one round trip). The README lists them with their roles.
 */
export const TOOLS: readonly Tool[] = [
  // Marketing agent (seed 002): brand, knowledge, skills, runs and outputs.
  tool('get_default_brand_kit', 'The default brand kit', getDefaultBrandKit),
  tool('search_knowledge', 'Search the knowledge bases', searchKnowledge),
  tool('find_skills', 'Find skills by keywords or a user message', listSkills),
  tool('queue_run', 'Queue a run of a skill', createRun),
  tool('start_run', 'Start a queued run', startRun),
  tool('complete_run', 'Complete a running run', completeRun),
  tool('fail_run', 'Fail a running run', failRun),
  tool('store_output', 'Store an output of a run', createOutput),
  // Engagement bot (seed 003): posts, decisions, replies, escalations, KPIs.
  tool('ingest_posts', 'Ingest detected posts with their authors', bulkIngestPosts),
  tool('get_post', 'Get a post', getPost),
  tool('record_decision', 'Record a decision on a post', createDecision),
  tool('draft_reply', 'Draft a reply, checked against the brand kit', draftReply),
  tool('reply_queue', 'The approval queue of pending replies', replyQueue),
  tool('approve_reply', 'Approve a pending reply', approveReply),
  tool('reject_reply', 'Reject a pending reply', rejectReply),
  tool('escalate_post', 'Hand a post to a human', createEscalation),
  tool('escalation_queue', 'The escalation queue', escalationQueue),
  tool('record_kpis', 'Record KPI metrics', bulkUpsertKpiMetrics),
  tool('kpi_series', 'A KPI time series', getKpiSeries),
];

export const TOOLS_BY_NAME: ReadonlyMap<string, Tool> = new Map(TOOLS.map((t) => [t.name, t]));
