export { startFakeLinear, DEFAULT_API_KEY, type FakeLinear, type FakeLinearOptions } from './fake-linear';
export { FakeLinearStore, type TeamWithStates } from './store';
export type { FaultKind, FaultSpec } from './faults';
export type { FakeRequest } from './http-handler';
export type { IssueCreateFields, IssuePatch } from './inputs';
export type { SignedWebhook, WebhookDelivery, WebhookTarget } from './webhook-emitter';
export { validateWebhookPayloadShape } from './webhook-shape';
export { issueWebhookData, updatedFromOf } from './webhook-payload';
export type * from './types';
