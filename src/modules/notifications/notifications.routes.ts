import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import * as inbox from './inbox.service.js';
import {
  createdSubscriptionSchema,
  inboxPageSchema,
  inboxQuerySchema,
  matterParamsSchema,
  outboxPageSchema,
  outboxQuerySchema,
  preferencesBodySchema,
  preferencesSchema,
  subscriptionBodySchema,
  subscriptionSchema,
  unreadCountSchema,
} from './notifications.schemas.js';
import * as outbox from './outbox.service.js';
import * as preferences from './preferences.service.js';

const tags = ['notifications'];
const done = z.object({ ok: z.literal(true) });

/**
 * Notifications: each user's inbox, preferences and webhook subscriptions (always their own),
 * and the outbox for operators (parked messages and retries).
 */
export const notificationRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/inbox', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Your in-app messages, newest first, with the unread count',
      querystring: inboxQuerySchema,
      response: { 200: inboxPageSchema, ...errorResponses },
    },
    handler: (request) => inbox.listInbox(ctx, actorOf(request), request.query),
  });

  r.get('/inbox/unread-count', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'How many of your in-app messages are unread',
      response: { 200: unreadCountSchema, ...errorResponses },
    },
    handler: async (request) => ({ unread_count: await inbox.countUnread(ctx, actorOf(request)) }),
  });

  r.post('/inbox/:id/read', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Mark one of your messages read',
      params: idParamsSchema,
      response: { 200: done, ...errorResponses },
    },
    handler: async (request) => {
      await inbox.markRead(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  });

  r.post('/inbox/read-all', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Mark all your messages read',
      response: { 200: z.object({ marked: z.number() }), ...errorResponses },
    },
    handler: async (request) => ({ marked: await inbox.markAllRead(ctx, actorOf(request)) }),
  });

  r.get('/notification-preferences', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Your channels, immediate or digest delivery, and muted matters',
      response: { 200: preferencesSchema, ...errorResponses },
    },
    handler: (request) => preferences.getPreferences(ctx, actorOf(request)),
  });

  r.put('/notification-preferences', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Choose your channels and immediate or digest delivery',
      body: preferencesBodySchema,
      response: { 200: preferencesSchema, ...errorResponses },
    },
    handler: (request) => preferences.setPreferences(ctx, actorOf(request), request.body),
  });

  r.put('/notification-preferences/mutes/:matter_id', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Hear nothing more about a matter',
      params: matterParamsSchema,
      response: { 200: preferencesSchema, ...errorResponses },
    },
    handler: (request) =>
      preferences.setMute(ctx, actorOf(request), request.params.matter_id, true),
  });

  r.delete('/notification-preferences/mutes/:matter_id', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Hear about a muted matter again',
      params: matterParamsSchema,
      response: { 200: preferencesSchema, ...errorResponses },
    },
    handler: (request) =>
      preferences.setMute(ctx, actorOf(request), request.params.matter_id, false),
  });

  r.get('/webhook-subscriptions', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Your webhook subscriptions',
      response: { 200: z.object({ items: z.array(subscriptionSchema) }), ...errorResponses },
    },
    handler: async (request) => ({
      items: await preferences.listSubscriptions(ctx, actorOf(request)),
    }),
  });

  r.post('/webhook-subscriptions', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Send your notifications to a URL (JSON with a text field, signed)',
      body: subscriptionBodySchema,
      response: { 201: createdSubscriptionSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return preferences.createSubscription(ctx, actorOf(request), request.body);
    },
  });

  r.delete('/webhook-subscriptions/:id', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'Stop one of your webhook subscriptions',
      params: idParamsSchema,
      response: { 200: done, ...errorResponses },
    },
    handler: async (request) => {
      await preferences.deactivateSubscription(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  });

  r.get('/notifications', {
    config: { policy: { action: 'read', resource: 'notification' } },
    schema: {
      tags,
      summary: 'Outbox messages by state (parked by default): what failed and why',
      querystring: outboxQuerySchema,
      response: { 200: outboxPageSchema, ...errorResponses },
    },
    handler: (request) => outbox.listOutbox(ctx, request.query),
  });

  r.post('/notifications/:id/retry', {
    config: { policy: { action: 'update', resource: 'notification' } },
    schema: {
      tags,
      summary: 'Queue a parked message again',
      params: idParamsSchema,
      response: { 200: done, ...errorResponses },
    },
    handler: async (request) => {
      await outbox.retryMessage(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  });
};
