import type { Command } from 'commander';
import { validationError, type FieldIssue } from '../../domain/errors.js';
import {
  ebillingProfileUpdateSchema,
  firmProfileUpdateSchema,
  type EbillingProfileDto,
  type FirmProfileDto,
} from '../../modules/clients/ebilling-profile.schemas.js';
import {
  getEbillingProfile,
  getFirmProfile,
  updateEbillingProfile,
  updateFirmProfile,
} from '../../modules/clients/ebilling-profile.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';
import { actingAs } from './invoices.js';

interface ProfileOptions {
  format?: string;
  portal?: string;
  clientId?: string;
  lawFirmId?: string;
  classification?: string;
  classificationMap?: string;
  taxRate?: string;
  taxType?: string;
  address1?: string;
  address2?: string;
  city?: string;
  region?: string;
  postcode?: string;
  country?: string;
  version?: string;
  as?: string;
}

/** The option each profile field is set with, so errors name what the user typed. */
const OPTION_OF: Record<string, string> = {
  ebilling_format: '--format',
  ebilling_portal: '--portal',
  ebilling_client_id: '--client-id',
  law_firm_id: '--law-firm-id',
  ledes_classification_codes: '--classification',
  ledes_classification_map: '--classification-map',
  tax_rate: '--tax-rate',
  tax_type: '--tax-type',
  billing_address_1: '--address-1',
  billing_address_2: '--address-2',
  billing_city: '--city',
  billing_region: '--region',
  billing_postcode: '--postcode',
  billing_country: '--country',
  firm_name: '--name',
  address_1: '--address-1',
  address_2: '--address-2',
  city: '--city',
  region: '--region',
  postcode: '--postcode',
  country: '--country',
};

const FORMATS: Record<string, string> = {
  '1998B': 'LEDES1998B',
  LEDES1998B: 'LEDES1998B',
  '98BI': 'LEDES98BI',
  LEDES98BI: 'LEDES98BI',
  NONE: 'none',
};

function versionOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text))
    throw new UsageError(`--version must be a positive whole number, got "${text}".`);
  return Number(text);
}

/** `PL=PARLGL,OC=COUNSEL` as an object; "" clears the map. */
function classificationMap(text: string): Record<string, string> | null {
  if (text.trim() === '') return null;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value, ...more] = pair.split('=');
    if (key === undefined || value === undefined || more.length > 0)
      throw new UsageError(
        `--classification-map takes CLASS=CODE pairs separated by commas (PL=PARLGL), got "${pair}".`,
      );
    out[key.trim().toUpperCase()] = value.trim();
  }
  return out;
}

/** Parses the change with the API's own schema; every problem named by its option (exit 1). */
function parseChange<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  input: Record<string, unknown>,
  code: string,
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    const option = OPTION_OF[field];
    const rest = issue.path.slice(1).map(String).join('.');
    return {
      field: `${option ?? field}${rest === '' ? '' : ` ${rest}`}`,
      message: issue.message,
    };
  });
  throw validationError(code, 'The profile was not changed', issues);
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

function printProfile(p: EbillingProfileDto): void {
  const address = [
    p.billing_address_1,
    p.billing_address_2,
    p.billing_city,
    p.billing_region,
    p.billing_postcode,
    p.billing_country,
  ].filter((v) => v !== null);
  const map = p.ledes_classification_map;
  process.stdout.write(
    [
      `${p.client_code}  ${p.name}  version ${p.version}`,
      `  format          ${p.ebilling_format}`,
      `  portal          ${p.ebilling_portal ?? '-'}`,
      `  client id       ${p.ebilling_client_id ?? '-'}`,
      `  law firm id     ${p.law_firm_id ?? '-'}`,
      `  classification  ${p.ledes_classification_codes}${
        map === null
          ? ''
          : ` (${Object.entries(map)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')})`
      }`,
      `  tax             ${p.tax_rate === null ? '-' : `${p.tax_rate}${p.tax_type === null ? '' : ` ${p.tax_type}`}`}`,
      `  billing address ${address.length === 0 ? '-' : address.join(', ')}`,
    ].join('\n') + '\n',
  );
}

function printFirm(p: FirmProfileDto): void {
  const address = [p.address_1, p.address_2, p.city, p.region, p.postcode, p.country].filter(
    (v) => v !== null,
  );
  process.stdout.write(
    `${p.firm_name ?? '(no firm name)'}  version ${p.version}\n  address ${address.length === 0 ? '-' : address.join(', ')}\n`,
  );
}

const addressOptions = (command: Command) =>
  command
    .option('--address-1 <text>', 'address line 1 ("" clears)')
    .option('--address-2 <text>', 'address line 2')
    .option('--city <text>', 'city')
    .option('--region <text>', 'state or region')
    .option('--postcode <text>', 'postcode')
    .option('--country <code>', 'three-letter ISO 3166 country code (GBR, USA)');

/** Registers `matterflow clients ebilling-profile` and `matterflow firm profile`. */
export function registerClients(program: Command): void {
  const clients = program.command('clients').description('Client reference data.');
  addressOptions(
    clients
      .command('ebilling-profile <client_code>')
      .description(
        "Show a client's e-billing profile, or change it with the options given " +
          '(exit 1 when a value is refused, 2 for an unknown client).',
      )
      .option('--format <format>', '1998B, 98BI or none')
      .option('--portal <name>', 'the e-billing portal the client uses')
      .option('--client-id <id>', 'the id the portal knows the client by (CLIENT_ID)')
      .option('--law-firm-id <id>', "the firm's id at this client (LAW_FIRM_ID)")
      .option('--classification <set>', 'original or revised timekeeper classification codes')
      .option('--classification-map <pairs>', "the client's own codes: PL=PARLGL,OC=COUNSEL")
      .option('--tax-rate <fraction>', '98BI tax on every line as a fraction (0.20)')
      .option('--tax-type <name>', 'the name of that tax (VAT)'),
  )
    .option('--version <n>', "the client's version you read (default: current)")
    .option('--as <email>', 'act as this user (default: the operator)')
    .action(async (code: string, options: ProfileOptions, command: Command) => {
      const global = globalOptions(command);
      const version = versionOf(options.version);
      const change = defined({
        ebilling_format:
          options.format === undefined
            ? undefined
            : (FORMATS[options.format.trim().toUpperCase()] ?? options.format),
        ebilling_portal: options.portal,
        ebilling_client_id: options.clientId,
        law_firm_id: options.lawFirmId,
        ledes_classification_codes: options.classification,
        ledes_classification_map:
          options.classificationMap === undefined
            ? undefined
            : classificationMap(options.classificationMap),
        tax_rate: options.taxRate,
        tax_type: options.taxType,
        billing_address_1: options.address1,
        billing_address_2: options.address2,
        billing_city: options.city,
        billing_region: options.region,
        billing_postcode: options.postcode,
        billing_country: options.country?.toUpperCase(),
      });
      const profile = await withDatabase(global, async (ctx) => {
        const actor = await actingAs(ctx, options.as);
        const current = await getEbillingProfile(ctx, actor, { code });
        if (Object.keys(change).length === 0) return current;
        const input = parseChange(
          ebillingProfileUpdateSchema,
          { ...change, version: version ?? current.version },
          'EBILLING_PROFILE_INVALID',
        );
        return updateEbillingProfile(ctx, actor, { id: current.client_id }, input);
      });
      if (global.json) return printJson(profile);
      printProfile(profile);
    });

  const firm = program.command('firm').description("The firm's own details.");
  addressOptions(
    firm
      .command('profile')
      .description(
        "Show the firm's name and address (written into 98BI files), or change them with the options given.",
      )
      .option('--name <text>', "the firm's name (LAW_FIRM_NAME)"),
  )
    .option('--version <n>', 'the version you read (default: current)')
    .option('--as <email>', 'act as this user (default: the operator)')
    .action(async (options: ProfileOptions & { name?: string }, command: Command) => {
      const global = globalOptions(command);
      const version = versionOf(options.version);
      const change = defined({
        firm_name: options.name,
        address_1: options.address1,
        address_2: options.address2,
        city: options.city,
        region: options.region,
        postcode: options.postcode,
        country: options.country?.toUpperCase(),
      });
      const profile = await withDatabase(global, async (ctx) => {
        const actor = await actingAs(ctx, options.as);
        const current = await getFirmProfile(ctx, actor);
        if (Object.keys(change).length === 0) return current;
        const input = parseChange(
          firmProfileUpdateSchema,
          { ...change, version: version ?? current.version },
          'FIRM_PROFILE_INVALID',
        );
        return updateFirmProfile(ctx, actor, input);
      });
      if (global.json) return printJson(profile);
      printFirm(profile);
    });
}
