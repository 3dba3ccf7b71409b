import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  AdminUpdateClientSchema,
  ClientListQuerySchema,
  ClientPageSchema,
  ClientSchema,
  CreateClientSchema,
  CreatedClientSchema,
  MeSchema,
  UpdateClientSchema,
} from './clients.schemas';

const tags = ['clients'];

export const me = protectedRoute({
  method: 'get',
  path: '/v1/me',
  tags,
  summary: 'The caller: subject, role and client',
  roles: CAN.identify,
  responses: { 200: jsonResponse(MeSchema, 'The verified principal.') },
});

export const getClient = protectedRoute({
  method: 'get',
  path: '/v1/client',
  tags,
  summary: "The caller's client and its settings",
  roles: CAN.read,
  responses: { 200: jsonResponse(ClientSchema, 'The client.') },
});

export const updateClient = protectedRoute({
  method: 'patch',
  path: '/v1/client',
  tags,
  summary: "Update the caller's client (name, description, settings)",
  roles: CAN.administer,
  request: { body: jsonBody(UpdateClientSchema) },
  responses: { 200: jsonResponse(ClientSchema, 'The updated client.'), ...problemResponses(422) },
});

export const createClient = protectedRoute({
  method: 'post',
  path: '/v1/clients',
  tags: ['system'],
  summary: 'Create a client with its first owner (system)',
  roles: ['system'],
  request: { body: jsonBody(CreateClientSchema) },
  responses: { 201: jsonResponse(CreatedClientSchema, 'The new client and its owner.'), ...problemResponses(409, 422) },
});

export const listClients = protectedRoute({
  method: 'get',
  path: '/v1/clients',
  tags: ['system'],
  summary: 'List clients (system)',
  roles: ['system'],
  request: { query: ClientListQuerySchema },
  responses: { 200: jsonResponse(ClientPageSchema, 'A page of clients, newest first.'), ...problemResponses(400) },
});

export const adminUpdateClient = protectedRoute({
  method: 'patch',
  path: '/v1/clients/{id}',
  tags: ['system'],
  summary: 'Rename, deactivate or reactivate a client, or change its settings (system)',
  description: 'Settings are merged key by key; only this route (and creation) sets `limits`, `features` and `retention`.',
  roles: ['system'],
  request: { params: IdParamSchema, body: jsonBody(AdminUpdateClientSchema) },
  responses: { 200: jsonResponse(ClientSchema, 'The updated client.'), ...problemResponses(400, 404, 422) },
});
