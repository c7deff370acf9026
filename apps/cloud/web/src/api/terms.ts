import { ApiError, ocs } from './http.ts';

/** The terms_of_service app's OCS API. */
const BASE = '/ocs/v2.php/apps/terms_of_service';

export interface Terms {
  id: number;
  languageCode: string;
  body: string;
}

/** The current terms and whether the caller accepted them; `undefined` while the app is off. */
export async function loadTerms(): Promise<{ terms: Terms[]; hasSigned: boolean } | undefined> {
  try {
    return await ocs<{ terms: Terms[]; hasSigned: boolean }>('GET', `${BASE}/terms`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

export async function signAll(ids: number[]): Promise<void> {
  for (const termId of ids) await ocs('POST', `${BASE}/sign`, { termId });
}

export const saveTerms = (languageCode: string, body: string) => ocs<Terms>('POST', `${BASE}/terms`, { languageCode, body });
export const deleteTerms = (id: number) => ocs('DELETE', `${BASE}/terms/${id}`);
export const resetSignatures = () => ocs('DELETE', `${BASE}/sign`);
