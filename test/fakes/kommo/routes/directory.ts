import { hal, problem, type Reply } from '../http';
import { pageReply, queryStrings } from '../paging';
import type { Route, RouteContext } from '../router';
import { contactJson, pipelineJson, userJson } from '../serialize';
import type { Json } from '../types';

function currencySymbol(currency: string): string {
  const parts = new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
  return parts.find((p) => p.type === 'currency')?.value ?? currency;
}

/** `+05:00`-style offset of a time zone right now. */
function timezoneOffset(timeZone: string): string {
  const name = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value;
  const offset = name?.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

function getAccount(ctx: RouteContext): Reply {
  const { account, site, store } = ctx;
  const admin = store.defaultUser();
  const body: { [key: string]: Json } = {
    id: account.accountId,
    name: `${account.subdomain} account`,
    subdomain: account.subdomain,
    created_at: 1_600_000_000,
    created_by: admin.id,
    updated_at: 1_600_000_000,
    updated_by: admin.id,
    current_user_id: admin.id,
    country: 'US',
    currency: account.currency,
    currency_symbol: currencySymbol(account.currency),
    customers_mode: 'disabled',
    is_unsorted_on: true,
    is_loss_reason_enabled: true,
    is_helpbot_enabled: false,
    is_technical_account: false,
    contact_name_display_order: 1,
    language: account.language,
    _links: { self: { href: `${site.base}/api/v4/account` } },
  };
  if (queryStrings(ctx.query.with).includes('datetime_settings')) {
    body._embedded = {
      datetime_settings: {
        date_pattern: 'm/d/Y H:i',
        short_date_pattern: 'm/d/Y',
        short_time_pattern: 'H:i',
        date_format: 'm/d/Y',
        time_format: 'H:i:s',
        timezone: account.timezone,
        timezone_offset: timezoneOffset(account.timezone),
      },
    };
  }
  return hal(body);
}

function getContact(ctx: RouteContext): Reply {
  const contact = ctx.store.contacts.get(ctx.id);
  return contact ? hal(contactJson(ctx.site, contact)) : problem(404, `Contact ${ctx.id} not found`);
}

function listUsers(ctx: RouteContext): Reply {
  const users = [...ctx.store.users.values()].map((u) => userJson(ctx.site, u));
  return pageReply(ctx.site, '/api/v4/users', ctx.query, 'users', users, true);
}

function getUser(ctx: RouteContext): Reply {
  const user = ctx.store.users.get(ctx.id);
  return user ? hal(userJson(ctx.site, user)) : problem(404, `User ${ctx.id} not found`);
}

function listPipelines(ctx: RouteContext): Reply {
  const pipelines = [...ctx.store.pipelines.values()].map((p) => pipelineJson(ctx.site, p));
  return hal({ _total_items: pipelines.length, _links: { self: { href: `${ctx.site.base}/api/v4/leads/pipelines` } }, _embedded: { pipelines } });
}

function getPipeline(ctx: RouteContext): Reply {
  const pipeline = ctx.store.pipelines.get(ctx.id);
  return pipeline ? hal(pipelineJson(ctx.site, pipeline)) : problem(404, `Pipeline ${ctx.id} not found`);
}

export const directoryRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/account', handler: getAccount },
  { method: 'GET', path: '/api/v4/contacts/:id', handler: getContact },
  { method: 'GET', path: '/api/v4/users', handler: listUsers },
  { method: 'GET', path: '/api/v4/users/:id', handler: getUser },
  { method: 'GET', path: '/api/v4/leads/pipelines', handler: listPipelines },
  { method: 'GET', path: '/api/v4/leads/pipelines/:id', handler: getPipeline },
];
