/**
 * Kommo's system statuses exist in every pipeline with fixed ids.
 * Source: amocrm/amocrm-api-php LeadModel (WON_STATUS_ID / LOST_STATUS_ID).
 */
export const KOMMO_WON_STATUS_ID = 142;
export const KOMMO_LOST_STATUS_ID = 143;

/** The deal URL Linear's back-link card and our notes point at. */
export function kommoDealUrl(baseUrl: string, leadId: number): string {
  return `${baseUrl.replace(/\/+$/, '')}/leads/detail/${leadId}`;
}

/**
 * Languages the product speaks: Kommo's interface languages (English, Spanish, Portuguese,
 * Turkish, Indonesian) and Russian for amoCRM accounts. Anything else falls back to English.
 */
export const SUPPORTED_LANGUAGES = ['en', 'es', 'pt', 'ru', 'tr', 'id'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export function toLanguage(value: string | null | undefined): Language {
  const short = (value ?? '').slice(0, 2).toLowerCase();
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(short) ? (short as Language) : 'en';
}
