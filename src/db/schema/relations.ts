import { relations } from 'drizzle-orm';
import { apiKeys, memberships, userChannels, users } from './access';
import { feedback, outputs, runs, skills } from './agent-work';
import { auditLogs, webhookDeliveries } from './audit';
import { brandKits } from './brand';
import { clients } from './clients';
import { communityChampions, competitiveMentions, competitors } from './competition';
import { authors, decisions, escalations, posts, randomizedExperiments, replies } from './engagement';
import { knowledgeBases, knowledgeChunks } from './knowledge';
import { experiments, kpiMetrics, learningEvents, segmentedWeights, weightAdjustmentLogs } from './learning';

// Each declaration is marked pure: no Worker code runs relational queries, so the bundler leaves
// them out of the Worker (they are for Drizzle's relational API and for readers of the schema).
// Tenant children name both columns of their composite key, so a relational query can only
// join rows of the same client.

export const clientsRelations = /* @__PURE__ */ relations(clients, ({ many }) => ({
  memberships: many(memberships),
  apiKeys: many(apiKeys),
  brandKits: many(brandKits),
  knowledgeBases: many(knowledgeBases),
  runs: many(runs),
  authors: many(authors),
  posts: many(posts),
  competitors: many(competitors),
  experiments: many(experiments),
  kpiMetrics: many(kpiMetrics),
  auditLogs: many(auditLogs),
}));

export const usersRelations = /* @__PURE__ */ relations(users, ({ many }) => ({
  channels: many(userChannels),
  memberships: many(memberships),
  runs: many(runs),
}));

export const userChannelsRelations = /* @__PURE__ */ relations(userChannels, ({ one }) => ({
  user: one(users, { fields: [userChannels.userId], references: [users.id] }),
}));

export const membershipsRelations = /* @__PURE__ */ relations(memberships, ({ one }) => ({
  client: one(clients, { fields: [memberships.clientId], references: [clients.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export const apiKeysRelations = /* @__PURE__ */ relations(apiKeys, ({ one }) => ({
  client: one(clients, { fields: [apiKeys.clientId], references: [clients.id] }),
  creator: one(users, { fields: [apiKeys.createdBy], references: [users.id] }),
}));

export const brandKitsRelations = /* @__PURE__ */ relations(brandKits, ({ one }) => ({
  client: one(clients, { fields: [brandKits.clientId], references: [clients.id] }),
}));

export const knowledgeBasesRelations = /* @__PURE__ */ relations(knowledgeBases, ({ one, many }) => ({
  client: one(clients, { fields: [knowledgeBases.clientId], references: [clients.id] }),
  chunks: many(knowledgeChunks),
}));

export const knowledgeChunksRelations = /* @__PURE__ */ relations(knowledgeChunks, ({ one }) => ({
  knowledgeBase: one(knowledgeBases, {
    fields: [knowledgeChunks.clientId, knowledgeChunks.knowledgeBaseId],
    references: [knowledgeBases.clientId, knowledgeBases.id],
  }),
}));

export const skillsRelations = /* @__PURE__ */ relations(skills, ({ many }) => ({
  runs: many(runs),
}));

export const runsRelations = /* @__PURE__ */ relations(runs, ({ one, many }) => ({
  client: one(clients, { fields: [runs.clientId], references: [clients.id] }),
  user: one(users, { fields: [runs.userId], references: [users.id] }),
  apiKey: one(apiKeys, { fields: [runs.clientId, runs.apiKeyId], references: [apiKeys.clientId, apiKeys.id] }),
  skill: one(skills, { fields: [runs.skillId], references: [skills.id] }),
  outputs: many(outputs),
}));

export const outputsRelations = /* @__PURE__ */ relations(outputs, ({ one }) => ({
  run: one(runs, { fields: [outputs.clientId, outputs.runId], references: [runs.clientId, runs.id] }),
  feedback: one(feedback),
}));

export const feedbackRelations = /* @__PURE__ */ relations(feedback, ({ one }) => ({
  output: one(outputs, { fields: [feedback.clientId, feedback.outputId], references: [outputs.clientId, outputs.id] }),
  reviewer: one(users, { fields: [feedback.reviewerId], references: [users.id] }),
}));

export const authorsRelations = /* @__PURE__ */ relations(authors, ({ one, many }) => ({
  client: one(clients, { fields: [authors.clientId], references: [clients.id] }),
  posts: many(posts),
  champion: one(communityChampions),
}));

export const postsRelations = /* @__PURE__ */ relations(posts, ({ one, many }) => ({
  author: one(authors, { fields: [posts.clientId, posts.authorId], references: [authors.clientId, authors.id] }),
  decisions: many(decisions),
  mentions: many(competitiveMentions),
  escalations: many(escalations),
}));

export const decisionsRelations = /* @__PURE__ */ relations(decisions, ({ one, many }) => ({
  post: one(posts, { fields: [decisions.clientId, decisions.postId], references: [posts.clientId, posts.id] }),
  experiment: one(experiments, {
    fields: [decisions.clientId, decisions.experimentId],
    references: [experiments.clientId, experiments.id],
  }),
  replies: many(replies),
  randomizedExperiments: many(randomizedExperiments),
}));

export const repliesRelations = /* @__PURE__ */ relations(replies, ({ one }) => ({
  decision: one(decisions, { fields: [replies.clientId, replies.decisionId], references: [decisions.clientId, decisions.id] }),
  approver: one(users, { fields: [replies.approvedBy], references: [users.id] }),
}));

export const escalationsRelations = /* @__PURE__ */ relations(escalations, ({ one }) => ({
  post: one(posts, { fields: [escalations.clientId, escalations.postId], references: [posts.clientId, posts.id] }),
  decision: one(decisions, {
    fields: [escalations.clientId, escalations.decisionId],
    references: [decisions.clientId, decisions.id],
  }),
  reply: one(replies, { fields: [escalations.clientId, escalations.replyId], references: [replies.clientId, replies.id] }),
  assignee: one(users, { fields: [escalations.assignedTo], references: [users.id], relationName: 'escalation_assignee' }),
  resolver: one(users, { fields: [escalations.resolvedBy], references: [users.id], relationName: 'escalation_resolver' }),
}));

export const competitorsRelations = /* @__PURE__ */ relations(competitors, ({ one, many }) => ({
  client: one(clients, { fields: [competitors.clientId], references: [clients.id] }),
  mentions: many(competitiveMentions),
}));

export const competitiveMentionsRelations = /* @__PURE__ */ relations(competitiveMentions, ({ one }) => ({
  post: one(posts, { fields: [competitiveMentions.clientId, competitiveMentions.postId], references: [posts.clientId, posts.id] }),
  competitor: one(competitors, {
    fields: [competitiveMentions.clientId, competitiveMentions.competitorId],
    references: [competitors.clientId, competitors.id],
  }),
}));

export const communityChampionsRelations = /* @__PURE__ */ relations(communityChampions, ({ one }) => ({
  author: one(authors, {
    fields: [communityChampions.clientId, communityChampions.authorId],
    references: [authors.clientId, authors.id],
  }),
}));

export const experimentsRelations = /* @__PURE__ */ relations(experiments, ({ one, many }) => ({
  client: one(clients, { fields: [experiments.clientId], references: [clients.id] }),
  decisions: many(decisions),
}));

export const randomizedExperimentsRelations = /* @__PURE__ */ relations(randomizedExperiments, ({ one }) => ({
  decision: one(decisions, {
    fields: [randomizedExperiments.clientId, randomizedExperiments.decisionId],
    references: [decisions.clientId, decisions.id],
  }),
}));

export const kpiMetricsRelations = /* @__PURE__ */ relations(kpiMetrics, ({ one }) => ({
  client: one(clients, { fields: [kpiMetrics.clientId], references: [clients.id] }),
}));

export const weightAdjustmentLogsRelations = /* @__PURE__ */ relations(weightAdjustmentLogs, ({ one }) => ({
  client: one(clients, { fields: [weightAdjustmentLogs.clientId], references: [clients.id] }),
}));

export const learningEventsRelations = /* @__PURE__ */ relations(learningEvents, ({ one }) => ({
  client: one(clients, { fields: [learningEvents.clientId], references: [clients.id] }),
}));

export const segmentedWeightsRelations = /* @__PURE__ */ relations(segmentedWeights, ({ one }) => ({
  client: one(clients, { fields: [segmentedWeights.clientId], references: [clients.id] }),
}));

export const auditLogsRelations = /* @__PURE__ */ relations(auditLogs, ({ one }) => ({
  client: one(clients, { fields: [auditLogs.clientId], references: [clients.id] }),
}));

export const webhookDeliveriesRelations = /* @__PURE__ */ relations(webhookDeliveries, ({ one }) => ({
  client: one(clients, { fields: [webhookDeliveries.clientId], references: [clients.id] }),
}));
