import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import { AddMemberSchema, ChangeRoleSchema, MemberPageSchema, MemberSchema } from './members.schemas';

const tags = ['members'];

export const listMembers = protectedRoute({
  method: 'get',
  path: '/v1/members',
  tags,
  summary: "List the client's members",
  roles: CAN.read,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(MemberPageSchema, 'A page of members, newest first.'), ...problemResponses(400) },
});

export const addMember = protectedRoute({
  method: 'post',
  path: '/v1/members',
  tags,
  summary: 'Add a member by email (creates the user if new); only an owner may add an owner',
  roles: CAN.administer,
  request: { body: jsonBody(AddMemberSchema) },
  responses: { 201: jsonResponse(MemberSchema, 'The new member.'), ...problemResponses(409, 422) },
});

export const changeMemberRole = protectedRoute({
  method: 'patch',
  path: '/v1/members/{id}',
  tags,
  summary: "Change a member's role; only an owner may change an owner's role or grant owner; the last owner stays",
  roles: CAN.administer,
  request: { params: IdParamSchema, body: jsonBody(ChangeRoleSchema) },
  responses: { 200: jsonResponse(MemberSchema, 'The member.'), ...problemResponses(400, 404, 409, 422) },
});

export const removeMember = protectedRoute({
  method: 'delete',
  path: '/v1/members/{id}',
  tags,
  summary: 'Remove a member; only an owner may remove an owner; the last owner stays',
  roles: CAN.administer,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Removed.' }, ...problemResponses(400, 404, 409) },
});
