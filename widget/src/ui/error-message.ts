/** Plain-words text for a failed backend call. */
import type { BackendError } from '../api/backend-error';
import type { Translate } from '../i18n/messages';

export function errorMessage(error: BackendError, t: Translate): string {
  switch (error.kind) {
    case 'unauthorized':
      return t('error_unauthorized');
    case 'timeout':
      return t('error_timeout');
    case 'network':
      return t('error_network');
    case 'invalid_response':
      return t('error_invalid');
    case 'no_server':
      return t('error_no_server');
    case 'server':
      return t('error_server', { message: error.message });
  }
}
