import { z } from 'zod';
import { CLASSIFICATIONS, EBILLING_FORMATS } from '../../domain/roles.js';

/**
 * A value that goes into a LEDES file as it is: trimmed, empty means "not set" (stored as null), none of
 * the LEDES separators (`|`, `[]`, line breaks), which the writer would otherwise have to replace.
 */
export const ledesText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !/[|\r\n]|\[\]/.test(v), 'must not contain |, [] or a line break')
    .nullable();

/** ISO 3166-1 alpha-3, as 98BI writes countries (GBR, USA, DEU). */
export const countryCode = z
  .string()
  .trim()
  .regex(/^([A-Z]{3})?$/, 'must be a three-letter ISO 3166 code in capitals (GBR)')
  .nullable();

/** A tax rate as a decimal fraction: 0.20 is 20 %. At most 6 decimals, at most 1. */
const taxRate = z
  .string()
  .trim()
  .refine(
    (v) => v === '' || (/^[0-9](\.[0-9]{1,6})?$/.test(v) && Number(v) <= 1),
    'must be a decimal fraction between 0 and 1 with at most 6 decimals (0.20 for 20 %)',
  )
  .nullable();

const classificationMap = z
  .partialRecord(
    z.enum(CLASSIFICATIONS),
    z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{1,10}$/, 'must be 1–10 capital letters or digits'),
  )
  .nullable();

const address = {
  billing_address_1: ledesText(100),
  billing_address_2: ledesText(100),
  billing_city: ledesText(60),
  billing_region: ledesText(60),
  billing_postcode: ledesText(20),
  billing_country: countryCode,
};

/** The client's e-billing profile as the API shows it. */
export const ebillingProfileSchema = z.object({
  client_id: z.number().int(),
  client_code: z.string(),
  name: z.string(),
  currency: z.string(),
  ebilling_format: z.enum(EBILLING_FORMATS),
  ebilling_portal: z.string().nullable(),
  ebilling_client_id: z.string().nullable(),
  law_firm_id: z.string().nullable(),
  ledes_classification_codes: z.enum(['original', 'revised']),
  ledes_classification_map: z.record(z.string(), z.string()).nullable(),
  tax_rate: z.string().nullable(),
  tax_type: z.string().nullable(),
  billing_address_1: z.string().nullable(),
  billing_address_2: z.string().nullable(),
  billing_city: z.string().nullable(),
  billing_region: z.string().nullable(),
  billing_postcode: z.string().nullable(),
  billing_country: z.string().nullable(),
  version: z.number().int(),
  updated_at: z.date(),
});
export type EbillingProfileDto = z.infer<typeof ebillingProfileSchema>;

/** A change to the profile: only the fields given change; `null` (or "") clears a value. */
export const ebillingProfileUpdateSchema = z.strictObject({
  version: z.number().int().min(1),
  ebilling_format: z.enum(EBILLING_FORMATS).optional(),
  ebilling_portal: ledesText(100).optional(),
  ebilling_client_id: ledesText(50).optional(),
  law_firm_id: ledesText(50).optional(),
  ledes_classification_codes: z.enum(['original', 'revised']).optional(),
  ledes_classification_map: classificationMap.optional(),
  tax_rate: taxRate.optional(),
  tax_type: ledesText(20).optional(),
  billing_address_1: address.billing_address_1.optional(),
  billing_address_2: address.billing_address_2.optional(),
  billing_city: address.billing_city.optional(),
  billing_region: address.billing_region.optional(),
  billing_postcode: address.billing_postcode.optional(),
  billing_country: address.billing_country.optional(),
});
export type EbillingProfileUpdate = z.infer<typeof ebillingProfileUpdateSchema>;

/** The firm's own name and address, written into 98BI files. */
export const firmProfileSchema = z.object({
  firm_name: z.string().nullable(),
  address_1: z.string().nullable(),
  address_2: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postcode: z.string().nullable(),
  country: z.string().nullable(),
  version: z.number().int(),
  updated_at: z.date(),
});
export type FirmProfileDto = z.infer<typeof firmProfileSchema>;

export const firmProfileUpdateSchema = z.strictObject({
  version: z.number().int().min(1),
  firm_name: ledesText(100).optional(),
  address_1: ledesText(100).optional(),
  address_2: ledesText(100).optional(),
  city: ledesText(60).optional(),
  region: ledesText(60).optional(),
  postcode: ledesText(20).optional(),
  country: countryCode.optional(),
});
export type FirmProfileUpdate = z.infer<typeof firmProfileUpdateSchema>;
