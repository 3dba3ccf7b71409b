/**
 * Who may call what: every operation of the API, keyed `METHOD /path` as the OpenAPI document
 * spells it, with the roles that may call it, written out. This is the reviewed role policy the
 * security suite holds the Worker to (role-matrix.test.ts): it is not read from `src/` (neither
 * `CAN` nor the routes' `roles`), so widening or narrowing who may call a route fails the suite
 * until this file changes with it, in a diff a reviewer sees. It must also agree with the README's
 * route table ("Authentication and roles"), which the same test parses.
 *
 * `public`: no token needed. Roles are listed owner, admin, editor, viewer, service (the README's
 * `viewer+` is owner, admin, editor, viewer; `editor+` owner, admin, editor; `admin+` owner, admin).
 */
export type MatrixRole = 'owner' | 'admin' | 'editor' | 'viewer' | 'service' | 'system';

/** Every role a token can claim, in the order the suite tries them. */
export const ALL_ROLES = ['owner', 'admin', 'editor', 'viewer', 'service', 'system'] as const satisfies readonly MatrixRole[];

export const ROLE_MATRIX: Readonly<Record<string, readonly MatrixRole[] | 'public'>> = {
  // Health, identity, clients
  'GET /health': 'public',
  'GET /v1/me': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/client': ['owner', 'admin', 'editor', 'viewer'],
  'PATCH /v1/client': ['owner', 'admin'],
  'POST /v1/clients': ['system'],
  'GET /v1/clients': ['system'],
  'PATCH /v1/clients/{id}': ['system'],

  // Members and API keys (administer)
  'GET /v1/members': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/members': ['owner', 'admin'],
  'PATCH /v1/members/{id}': ['owner', 'admin'],
  'DELETE /v1/members/{id}': ['owner', 'admin'],
  'POST /v1/api-keys': ['owner', 'admin'],
  'GET /v1/api-keys': ['owner', 'admin'],
  'DELETE /v1/api-keys/{id}': ['owner', 'admin'],

  // The API-key exchange
  'POST /v1/auth/token': 'public',

  // Brand kits
  'GET /v1/brand-kits': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/brand-kits': ['owner', 'admin', 'editor'],
  'GET /v1/brand-kits/default': ['owner', 'admin', 'editor', 'viewer'],
  'GET /v1/brand-kits/{id}': ['owner', 'admin', 'editor', 'viewer'],
  'PATCH /v1/brand-kits/{id}': ['owner', 'admin', 'editor'],
  'DELETE /v1/brand-kits/{id}': ['owner', 'admin', 'editor'],
  'POST /v1/brand-kits/{id}/default': ['owner', 'admin', 'editor'],

  // Skills (the global catalog) and runs
  'GET /v1/skills': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/skills': ['system'],
  'GET /v1/skills/{name}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'PATCH /v1/skills/{name}': ['system'],
  'GET /v1/skills/{name}/feedback-summary': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/runs': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/runs': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/runs/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/runs/{id}/start': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/runs/{id}/complete': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/runs/{id}/fail': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/runs/{id}/cancel': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/runs/{id}/outputs': ['owner', 'admin', 'editor', 'service'],

  // Outputs and feedback
  'GET /v1/outputs/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/outputs/{id}/content': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/outputs/{id}/feedback': ['owner', 'admin', 'editor'],
  'GET /v1/outputs/{id}/feedback': ['owner', 'admin', 'editor', 'viewer', 'service'],

  // Knowledge
  'GET /v1/knowledge-bases': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/knowledge-bases': ['owner', 'admin', 'editor'],
  'GET /v1/knowledge-bases/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'PATCH /v1/knowledge-bases/{id}': ['owner', 'admin', 'editor'],
  'DELETE /v1/knowledge-bases/{id}': ['owner', 'admin', 'editor'],
  'POST /v1/knowledge-bases/{id}/chunks': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/knowledge-bases/{id}/chunks': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'DELETE /v1/knowledge-bases/{id}/chunks': ['owner', 'admin', 'editor', 'service'],
  'DELETE /v1/knowledge-bases/{id}/chunks/{chunk_id}': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/knowledge/search': ['owner', 'admin', 'editor', 'viewer', 'service'],

  // Engagement: authors, posts, decisions, replies
  'POST /v1/authors/bulk': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/authors': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/authors/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'PATCH /v1/authors/{id}': ['owner', 'admin', 'editor'],
  'POST /v1/posts/bulk': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/posts': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/posts/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/posts/{id}/processed': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/posts/{id}/error': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/posts/{id}/decisions': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/decisions': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/decisions/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/decisions/{id}/replies': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/replies/queue': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/replies': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/replies/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'DELETE /v1/replies/{id}': ['owner', 'admin', 'editor'],
  'POST /v1/replies/{id}/approve': ['owner', 'admin', 'editor'],
  'POST /v1/replies/approve': ['owner', 'admin', 'editor'],
  'POST /v1/replies/{id}/reject': ['owner', 'admin', 'editor'],
  'POST /v1/replies/{id}/posted': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/replies/{id}/metrics': ['owner', 'admin', 'editor', 'service'],

  // Escalations
  'GET /v1/escalations/queue': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/escalations': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/escalations': ['owner', 'admin', 'editor', 'viewer'],
  'GET /v1/escalations/{id}': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/escalations/{id}/assign': ['owner', 'admin', 'editor'],
  'POST /v1/escalations/{id}/resolve': ['owner', 'admin', 'editor'],
  'POST /v1/escalations/{id}/dismiss': ['owner', 'admin', 'editor'],

  // Competitors, mentions, champions
  'GET /v1/competitors': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/competitors': ['owner', 'admin', 'editor'],
  'GET /v1/competitors/{id}': ['owner', 'admin', 'editor', 'viewer'],
  'PATCH /v1/competitors/{id}': ['owner', 'admin', 'editor'],
  'DELETE /v1/competitors/{id}': ['owner', 'admin', 'editor'],
  'POST /v1/competitive-mentions': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/competitive-mentions': ['owner', 'admin', 'editor', 'viewer'],
  'PUT /v1/community-champions': ['owner', 'admin', 'editor'],
  'GET /v1/community-champions': ['owner', 'admin', 'editor', 'viewer'],
  'GET /v1/community-champions/{id}': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/community-champions/{id}/dm-sent': ['owner', 'admin', 'editor'],
  'POST /v1/community-champions/{id}/dm-response': ['owner', 'admin', 'editor'],
  'POST /v1/community-champions/{id}/sample-sent': ['owner', 'admin', 'editor'],
  'POST /v1/community-champions/{id}/converted': ['owner', 'admin', 'editor'],
  'POST /v1/community-champions/{id}/advocate-status': ['owner', 'admin', 'editor'],

  // Learning
  'POST /v1/kpi-metrics/bulk': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/kpi-metrics/series': ['owner', 'admin', 'editor', 'viewer'],
  'GET /v1/experiments': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'POST /v1/experiments': ['owner', 'admin', 'editor'],
  'GET /v1/experiments/{id}': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'PATCH /v1/experiments/{id}': ['owner', 'admin', 'editor'],
  'DELETE /v1/experiments/{id}': ['owner', 'admin', 'editor'],
  'POST /v1/experiments/{id}/start': ['owner', 'admin', 'editor'],
  'POST /v1/experiments/{id}/stop': ['owner', 'admin', 'editor'],
  'POST /v1/experiments/{id}/conclude': ['owner', 'admin', 'editor'],
  'POST /v1/weight-adjustments': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/weight-adjustments': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/learning-events': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/learning-events': ['owner', 'admin', 'editor', 'viewer'],
  'POST /v1/learning-events/{id}/evaluate': ['owner', 'admin', 'editor', 'service'],
  'POST /v1/randomized-experiments': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/randomized-experiments': ['owner', 'admin', 'editor', 'viewer'],
  'PUT /v1/segmented-weights': ['owner', 'admin', 'editor', 'service'],
  'GET /v1/segmented-weights': ['owner', 'admin', 'editor', 'viewer', 'service'],
  'GET /v1/segmented-weights/{segment_type}/{segment_key}': ['owner', 'admin', 'editor', 'viewer', 'service'],

  // The audit trail
  'GET /v1/audit-logs': ['owner', 'admin'],

  // Webhooks: signed endpoints (admin), their deliveries, and the receiver (the signature is the credential)
  'POST /v1/webhook-endpoints': ['owner', 'admin'],
  'GET /v1/webhook-endpoints': ['owner', 'admin'],
  'GET /v1/webhook-endpoints/{id}': ['owner', 'admin'],
  'POST /v1/webhook-endpoints/{id}/disable': ['owner', 'admin'],
  'POST /v1/webhook-endpoints/{id}/rotate': ['owner', 'admin'],
  'DELETE /v1/webhook-endpoints/{id}': ['owner', 'admin'],
  'GET /v1/webhook-deliveries': ['owner', 'admin'],

  // The caller's chat links (people only: an API key is refused, USER_REQUIRED)
  'POST /v1/me/channel-links': ['owner', 'admin', 'editor', 'viewer'],
  'GET /v1/me/channels': ['owner', 'admin', 'editor', 'viewer'],
  'DELETE /v1/me/channels/{id}': ['owner', 'admin', 'editor', 'viewer'],
  'POST /hooks/{endpoint_id}': 'public',
  'POST /hooks/slack': 'public',
  'POST /hooks/telegram': 'public',
};
