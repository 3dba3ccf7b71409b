import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import { BrandKitPageSchema, BrandKitSchema, CreateBrandKitSchema, UpdateBrandKitSchema } from './brand-kits.schemas';

const tags = ['brand-kits'];

export const listBrandKits = protectedRoute({
  method: 'get',
  path: '/v1/brand-kits',
  tags,
  summary: 'List brand kits',
  roles: CAN.read,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(BrandKitPageSchema, 'A page of brand kits, newest first.'), ...problemResponses(400) },
});

export const createBrandKit = protectedRoute({
  method: 'post',
  path: '/v1/brand-kits',
  tags,
  summary: 'Create a brand kit',
  roles: CAN.write,
  request: { body: jsonBody(CreateBrandKitSchema) },
  responses: { 201: jsonResponse(BrandKitSchema, 'The brand kit.'), ...problemResponses(422) },
});

export const getDefaultBrandKit = protectedRoute({
  method: 'get',
  path: '/v1/brand-kits/default',
  tags,
  summary: "Get the client's default brand kit",
  description: 'The kit replies are drafted and checked against (its voice, signature and prohibited claims).',
  roles: CAN.read,
  responses: { 200: jsonResponse(BrandKitSchema, 'The default brand kit.'), ...problemResponses(404) },
});

export const getBrandKit = protectedRoute({
  method: 'get',
  path: '/v1/brand-kits/{id}',
  tags,
  summary: 'Get a brand kit',
  roles: CAN.read,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(BrandKitSchema, 'The brand kit.'), ...problemResponses(400, 404) },
});

export const updateBrandKit = protectedRoute({
  method: 'patch',
  path: '/v1/brand-kits/{id}',
  tags,
  summary: 'Update a brand kit',
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(UpdateBrandKitSchema) },
  responses: { 200: jsonResponse(BrandKitSchema, 'The brand kit.'), ...problemResponses(400, 404, 422) },
});

export const deleteBrandKit = protectedRoute({
  method: 'delete',
  path: '/v1/brand-kits/{id}',
  tags,
  summary: 'Delete a brand kit',
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted.' }, ...problemResponses(400, 404) },
});

export const makeDefaultBrandKit = protectedRoute({
  method: 'post',
  path: '/v1/brand-kits/{id}/default',
  tags,
  summary: "Make a brand kit the client's default (switched atomically)",
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(BrandKitSchema, 'The new default.'), ...problemResponses(400, 404) },
});
