import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Keep in step with migrations/ (the migrations are the source of truth). */

type Id = ColumnType<number, never, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Timestamps with a database default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
type Version = ColumnType<number, number | undefined, number>;
/** numeric columns arrive as exact decimal strings. */
type Decimal = ColumnType<string, string, string>;

export interface ClientTable {
  id: Id;
  client_code: string;
  name: string;
  currency: string;
  ebilling_format: string;
  ebilling_client_id: string | null;
  law_firm_id: string | null;
  ledes_classification_codes: Generated<string>;
  ledes_classification_map: unknown;
  tax_rate: string | null;
  tax_type: string | null;
  ebilling_portal: string | null;
  billing_address_1: string | null;
  billing_address_2: string | null;
  billing_city: string | null;
  billing_region: string | null;
  billing_postcode: string | null;
  billing_country: string | null;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TimekeeperTable {
  id: Id;
  timekeeper_code: string;
  first_name: string;
  last_name: string;
  classification: string;
  email: string | null;
  standard_rate_cents: number | null;
  currency: string;
  practice_group: string | null;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface AppUserTable {
  id: Id;
  email: string;
  name: string;
  roles: string[];
  timekeeper_id: number | null;
  password_hash: string | null;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MatterTable {
  id: Id;
  matter_code: string;
  client_id: number;
  client_matter_id: string | null;
  name: string;
  practice_area: string;
  jurisdiction: string | null;
  office: string | null;
  fee_arrangement: string;
  fee_amount_cents: number | null;
  responsible_attorney_id: number;
  billing_partner_id: number;
  billing_coordinator_id: number | null;
  budget_cents: number | null;
  status: string;
  opened_on: string;
  closed_on: string | null;
  restricted: Generated<boolean>;
  tax_rate: string | null;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MatterMemberTable {
  matter_id: number;
  user_id: number;
  added_at: DefaultTimestamp;
}

export interface MatterTimekeeperTable {
  matter_id: number;
  timekeeper_id: number;
  approved_rate_cents: number | null;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface RateTable {
  id: Id;
  timekeeper_id: number;
  client_id: number | null;
  matter_id: number | null;
  rate_cents: number;
  currency: string;
  effective_from: string;
  effective_to: string | null;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TimeEntryTable {
  id: Id;
  entry_id: string;
  matter_id: number;
  timekeeper_id: number;
  work_date: string;
  hours: Decimal;
  narrative: string;
  task_code: string | null;
  activity_code: string | null;
  billable: boolean;
  status: Generated<string>;
  released_at: NullableTimestamp;
  rate_cents: number | null;
  amount_cents: number | null;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ExpenseTable {
  id: Id;
  expense_id: string;
  matter_id: number;
  timekeeper_id: number | null;
  expense_date: string;
  expense_code: string | null;
  description: string;
  quantity: Decimal;
  unit_cost_cents: number;
  amount_cents: number;
  status: Generated<string>;
  released_at: NullableTimestamp;
  active: Generated<boolean>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface UserSessionTable {
  id: string;
  user_id: number;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface SignInFailureTable {
  id: Id;
  /** `email:<lower-cased address>` or `ip:<address>`. */
  key: string;
  failed_at: Timestamp;
}

export interface ApiTokenTable {
  id: Id;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  scopes: string[];
  created_at: DefaultTimestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface AuditEventTable {
  id: Id;
  occurred_at: Timestamp;
  actor_user_id: number | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  prev_hash: string | null;
  hash: string;
}

export interface GuidelineVersionTable {
  id: Id;
  guideline_key: string;
  client_id: number | null;
  version: number;
  name: string;
  effective_from: string;
  source_text: string;
  document: unknown;
  status: Generated<string>;
  imported_by: number | null;
  imported_at: DefaultTimestamp;
  activated_by: number | null;
  activated_at: NullableTimestamp;
  retired_at: NullableTimestamp;
}

export interface GuidelineExceptionTable {
  id: Id;
  fingerprint: string;
  rule_id: string;
  rule_kind: string;
  guideline_version_id: number | null;
  severity: string;
  owner_role: string;
  owner_user_id: number | null;
  entity_type: string;
  time_entry_id: number | null;
  expense_id: number | null;
  invoice_id: Generated<number | null>;
  entity_external_id: string;
  matter_id: number;
  message: string;
  correction: unknown;
  state: Generated<string>;
  opened_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
  resolved_by: number | null;
  waived_at: NullableTimestamp;
  waived_by: number | null;
  waive_reason: string | null;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InvoiceCounterTable {
  counter_key: string;
  last_value: Generated<number>;
}

export interface InvoiceTable {
  id: Id;
  invoice_number: string;
  matter_id: number;
  client_id: number;
  period_start: string;
  period_end: string;
  invoice_date: string | null;
  currency: string;
  fee_arrangement: string;
  state: Generated<string>;
  previous_state: string | null;
  approval_level: Generated<number>;
  owner_role: string | null;
  owner_user_id: number | null;
  stage_entered_at: Timestamp;
  urgent: Generated<boolean>;
  needs_revaluation: Generated<boolean>;
  last_bill_run_at: Timestamp;
  outcome_amount_cents: number | null;
  worked_fees_cents: Generated<number>;
  fees_cents: Generated<number>;
  expenses_cents: Generated<number>;
  adjustments_cents: Generated<number>;
  total_cents: Generated<number>;
  /** What the client took off after billing (negative or 0); never part of the billed total. */
  client_adjustments_cents: Generated<number>;
  /** total_cents + client_adjustments_cents, computed by the database. */
  amount_due_cents: ColumnType<number, never, never>;
  rework_count: Generated<number>;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InvoiceLineTable {
  id: Id;
  invoice_id: number;
  line_number: number;
  line_type: string;
  time_entry_id: number | null;
  expense_id: number | null;
  work_date: string | null;
  timekeeper_id: number | null;
  task_code: string | null;
  activity_code: string | null;
  expense_code: string | null;
  description: Generated<string>;
  units: Decimal;
  unit_cost_cents: number;
  adjustment_cents: Generated<number>;
  amount_cents: number;
  worked_units: Decimal | null;
  worked_unit_cost_cents: number | null;
  worked_amount_cents: number | null;
  disposition: Generated<string>;
  new_since_last_run: Generated<boolean>;
  internal_note: string | null;
  moved_to_matter_id: number | null;
  purpose: string | null;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InvoiceAdjustmentTable {
  id: Id;
  invoice_id: number;
  invoice_line_id: number | null;
  kind: string;
  field: string | null;
  before: unknown;
  after: unknown;
  amount_cents: Generated<number>;
  reason_code: string;
  note: string | null;
  state: Generated<string>;
  requested_by: number | null;
  requested_at: Timestamp;
  decided_by: number | null;
  decided_at: NullableTimestamp;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface AdjustmentReasonTable {
  code: string;
  label: string;
  requires_note: Generated<boolean>;
  active: Generated<boolean>;
}

export interface InvoiceStageEventTable {
  id: Id;
  invoice_id: number;
  from_state: string | null;
  to_state: string;
  approval_level: Generated<number>;
  owner_role: string | null;
  owner_user_id: number | null;
  actor_user_id: number | null;
  occurred_at: Timestamp;
  reason: string | null;
  rework: Generated<boolean>;
  trigger: string | null;
}

export interface RoutingTableTable {
  id: Id;
  table_key: string;
  version: number;
  source_text: string;
  document: unknown;
  status: Generated<string>;
  imported_by: number | null;
  imported_at: DefaultTimestamp;
  activated_by: number | null;
  activated_at: NullableTimestamp;
}

export interface NotificationOutboxTable {
  id: Id;
  idempotency_key: string;
  kind: string;
  recipient_user_id: number;
  channel: string;
  webhook_subscription_id: number | null;
  matter_id: number | null;
  payload: unknown;
  due_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  state: Generated<string>;
  locked_until: NullableTimestamp;
  delivered_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InboxMessageTable {
  id: Id;
  outbox_id: number;
  user_id: number;
  kind: string;
  subject: string;
  body: string;
  link: string;
  matter_id: number | null;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface WebhookSubscriptionTable {
  id: Id;
  user_id: number;
  url: string;
  secret: string;
  kinds: string[] | null;
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface NotificationPreferenceTable {
  user_id: number;
  channels: Generated<string[]>;
  delivery: Generated<string>;
  version: Version;
  updated_at: DefaultTimestamp;
}

export interface NotificationMuteTable {
  user_id: number;
  matter_id: number;
  created_at: DefaultTimestamp;
}

export interface InvoiceSlaBreachTable {
  invoice_id: number;
  stage_entered_at: Timestamp;
  state: string;
  approval_level: number;
  deadline: Timestamp;
  escalated_to_user_id: number | null;
  escalated_at: Timestamp;
}

export interface FirmProfileTable {
  id: ColumnType<number, number | undefined, never>;
  firm_name: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  region: string | null;
  postcode: string | null;
  country: string | null;
  version: Version;
  updated_at: DefaultTimestamp;
}

export interface LedesExportTable {
  id: Id;
  invoice_id: number;
  format: string;
  sha256: string;
  bytes: number;
  exported_by: number | null;
  actor: string;
  exported_at: Timestamp;
}

export interface EbillingSubmissionTable {
  id: Id;
  invoice_id: number;
  ledes_export_id: number;
  portal: string;
  sha256: string;
  submitted_at: Timestamp;
  recorded_by: number | null;
  recorded_at: Timestamp;
}

export interface EbillingResponseTable {
  id: Id;
  invoice_id: number;
  invoice_number: string;
  status: string;
  reason_code: string | null;
  reason_text: string | null;
  amount_approved_cents: number | null;
  response_date: string;
  source_row: number | null;
  imported_by: number | null;
  imported_at: Timestamp;
}

export interface EbillingReasonMapTable {
  id: Id;
  version: number;
  source_text: string;
  document: unknown;
  imported_by: number | null;
  imported_at: Timestamp;
}

export interface DB {
  client: ClientTable;
  timekeeper: TimekeeperTable;
  app_user: AppUserTable;
  matter: MatterTable;
  matter_member: MatterMemberTable;
  matter_timekeeper: MatterTimekeeperTable;
  rate: RateTable;
  time_entry: TimeEntryTable;
  expense: ExpenseTable;
  user_session: UserSessionTable;
  sign_in_failure: SignInFailureTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  guideline_version: GuidelineVersionTable;
  guideline_exception: GuidelineExceptionTable;
  invoice_counter: InvoiceCounterTable;
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
  invoice_adjustment: InvoiceAdjustmentTable;
  adjustment_reason: AdjustmentReasonTable;
  invoice_stage_event: InvoiceStageEventTable;
  routing_table: RoutingTableTable;
  notification_outbox: NotificationOutboxTable;
  inbox_message: InboxMessageTable;
  webhook_subscription: WebhookSubscriptionTable;
  notification_preference: NotificationPreferenceTable;
  notification_mute: NotificationMuteTable;
  invoice_sla_breach: InvoiceSlaBreachTable;
  ledes_export: LedesExportTable;
  firm_profile: FirmProfileTable;
  ebilling_submission: EbillingSubmissionTable;
  ebilling_response: EbillingResponseTable;
  ebilling_reason_map: EbillingReasonMapTable;
  prebill_setting: PrebillSettingTable;
  invoice_question: InvoiceQuestionTable;
  firm_holiday: FirmHolidayTable;
  field_visibility: FieldVisibilityTable;
  stage_sla: StageSlaTable;
  stage_sla_setting: StageSlaSettingTable;
}

/** Per role: may it see rates and money amounts of work, and write-down reasons. */
export interface FieldVisibilityTable {
  role: string;
  rates: boolean;
  reasons: boolean;
  version: Version;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}

export interface PrebillSettingTable {
  id: Generated<number>;
  write_down_approval_amount_cents: number | null;
  write_down_approval_percent: Decimal | null;
  version: Version;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}

export interface InvoiceQuestionTable {
  id: Id;
  invoice_id: number;
  invoice_line_id: number | null;
  time_entry_id: number | null;
  timekeeper_id: number;
  assignee_user_id: number;
  question: string;
  answer: string | null;
  state: Generated<string>;
  asked_by: number | null;
  asked_at: Timestamp;
  answered_by: number | null;
  answered_at: NullableTimestamp;
  version: Version;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface FirmHolidayTable {
  holiday_date: string;
  name: string;
  created_by: number | null;
  created_at: DefaultTimestamp;
}

/** One stage's SLA: business days or hours (neither: the stage has no SLA). */
export interface StageSlaTable {
  stage: string;
  business_days: number | null;
  hours: number | null;
}

/** The version the set of stage SLAs changes under (one row). */
export interface StageSlaSettingTable {
  id: Generated<boolean>;
  version: Version;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}
