import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

// Notifications: an outbox written in the same transaction as the change it reports, the
// in-app inbox it delivers to, per-user webhook subscriptions and preferences, and a record of
// each SLA breach so an invoice escalates once per stage visit.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notification_outbox (
      id bigint generated always as identity primary key,
      idempotency_key text not null unique,
      kind text not null,
      recipient_user_id bigint not null references app_user (id),
      channel text not null,
      webhook_subscription_id bigint,
      matter_id bigint references matter (id),
      payload jsonb not null,
      due_at timestamptz not null,
      attempts integer not null default 0,
      last_error text,
      state text not null default 'pending',
      locked_until timestamptz,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint notification_outbox_channel_valid check (channel in ('email', 'webhook', 'in_app')),
      constraint notification_outbox_state_valid check (state in ('pending', 'delivered', 'parked')),
      constraint notification_outbox_webhook_target check (
        (channel = 'webhook') = (webhook_subscription_id is not null)
      )
    )`.execute(db);
  // The dispatcher's claim: pending rows by due time.
  await sql`
    create index notification_outbox_due on notification_outbox (due_at, id)
      where state = 'pending'`.execute(db);
  await sql`
    create index notification_outbox_parked on notification_outbox (id) where state = 'parked'`.execute(
    db,
  );

  await sql`
    create table inbox_message (
      id bigint generated always as identity primary key,
      outbox_id bigint not null unique references notification_outbox (id),
      user_id bigint not null references app_user (id),
      kind text not null,
      subject text not null,
      body text not null,
      link text not null,
      matter_id bigint references matter (id),
      created_at timestamptz not null,
      read_at timestamptz
    )`.execute(db);
  await sql`create index inbox_message_user on inbox_message (user_id, id desc)`.execute(db);

  await sql`
    create table webhook_subscription (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user (id),
      url text not null,
      secret text not null,
      kinds text[],
      active boolean not null default true,
      created_at timestamptz not null default now(),
      constraint webhook_subscription_url_valid check (url ~ '^https?://')
    )`.execute(db);
  await sql`alter table notification_outbox
      add constraint notification_outbox_webhook_fk foreign key (webhook_subscription_id)
      references webhook_subscription (id)`.execute(db);

  await sql`
    create table notification_preference (
      user_id bigint primary key references app_user (id),
      channels text[] not null default '{in_app,email}',
      delivery text not null default 'immediate',
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      constraint notification_preference_channels_valid check (
        channels <@ array['email', 'webhook', 'in_app']::text[]
      ),
      constraint notification_preference_delivery_valid check (delivery in ('immediate', 'digest'))
    )`.execute(db);

  await sql`
    create table notification_mute (
      user_id bigint not null references app_user (id),
      matter_id bigint not null references matter (id),
      created_at timestamptz not null default now(),
      primary key (user_id, matter_id)
    )`.execute(db);

  await sql`
    create table invoice_sla_breach (
      invoice_id bigint not null references invoice (id),
      stage_entered_at timestamptz not null,
      state text not null,
      approval_level integer not null,
      deadline timestamptz not null,
      escalated_to_user_id bigint references app_user (id),
      escalated_at timestamptz not null,
      primary key (invoice_id, stage_entered_at)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table invoice_sla_breach`.execute(db);
  await sql`drop table notification_mute`.execute(db);
  await sql`drop table notification_preference`.execute(db);
  await sql`drop table inbox_message`.execute(db);
  await sql`drop table notification_outbox`.execute(db);
  await sql`drop table webhook_subscription`.execute(db);
}
