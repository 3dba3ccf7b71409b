import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { jsonBody, jsonResponse } from '../lib/schemas';
import {
  CreateSkillSchema,
  FeedbackSummaryQuerySchema,
  FeedbackSummarySchema,
  ListSkillsQuerySchema,
  SkillNameParamSchema,
  SkillPageSchema,
  SkillSchema,
  UpdateSkillSchema,
} from './skills.schemas';

const tags = ['skills'];

export const listSkills = protectedRoute({
  method: 'get',
  path: '/v1/skills',
  tags,
  summary: 'List the skill catalog',
  description:
    'The global catalog, newest first, `limit` 1–100. Filters: `type`; `q` (1–500 characters) searches trigger keywords, name and description, case-insensitively.',
  roles: CAN.readAutomated,
  request: { query: ListSkillsQuerySchema },
  responses: { 200: jsonResponse(SkillPageSchema, 'A page of skills.'), ...problemResponses(400) },
});

export const getSkill = protectedRoute({
  method: 'get',
  path: '/v1/skills/{name}',
  tags,
  summary: 'Get a skill by name',
  roles: CAN.readAutomated,
  request: { params: SkillNameParamSchema },
  responses: { 200: jsonResponse(SkillSchema, 'The skill.'), ...problemResponses(400, 404) },
});

export const createSkill = protectedRoute({
  method: 'post',
  path: '/v1/skills',
  tags,
  summary: 'Add a skill to the global catalog (system only)',
  description: 'Names are unique (409 `SKILL_EXISTS`). Up to 100 trigger keywords of 1–100 characters, stored lowercased.',
  roles: ['system'],
  request: { body: jsonBody(CreateSkillSchema) },
  responses: { 201: jsonResponse(SkillSchema, 'The skill.'), ...problemResponses(409, 422) },
});

export const updateSkill = protectedRoute({
  method: 'patch',
  path: '/v1/skills/{name}',
  tags,
  summary: 'Update a skill of the global catalog (system only)',
  description: 'Send at least one field. The name is the key and does not change.',
  roles: ['system'],
  request: { params: SkillNameParamSchema, body: jsonBody(UpdateSkillSchema) },
  responses: { 200: jsonResponse(SkillSchema, 'The skill.'), ...problemResponses(400, 404, 422) },
});

export const skillFeedbackSummary = protectedRoute({
  method: 'get',
  path: '/v1/skills/{name}/feedback-summary',
  tags,
  summary: "Average feedback scores of a skill's outputs in this client",
  description: 'Over the last `days` (1–365, default 30): count, mean of each score, distribution of the overall score.',
  roles: CAN.readAutomated,
  request: { params: SkillNameParamSchema, query: FeedbackSummaryQuerySchema },
  responses: { 200: jsonResponse(FeedbackSummarySchema, 'The summary.'), ...problemResponses(400, 404) },
});
