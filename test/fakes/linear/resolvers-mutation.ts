import { z } from 'zod';
import { deleteAttachment, upsertAttachment } from './attachment-ops';
import type { FakeContext } from './context';
import { createComment } from './comment-ops';
import { createCustomerNeed, updateCustomerNeed, upsertCustomer } from './customer-ops';
import { attachmentCreateInput, commentCreateInput, customerNeedCreateInput, customerNeedUpdateInput, customerUpsertInput, issueCreateInput, issueUpdateInput, webhookCreateInput } from './inputs';
import { createIssue, deleteIssue, updateIssue } from './issue-ops';
import { createWebhook } from './webhook-ops';

type Args = Record<string, unknown>;

const createArgs = <T extends z.ZodType>(input: T) => z.object({ input });
const updateArgs = z.object({ id: z.string(), input: issueUpdateInput });
const deleteArgs = z.object({ id: z.string(), permanentlyDelete: z.boolean().nullish() });
const idArg = z.object({ id: z.string() });

let syncId = 1000;
function lastSyncId(): number {
  syncId += 1;
  return syncId;
}

export const mutationResolvers = {
  issueCreate: (_: unknown, args: Args, { store, actor }: FakeContext) => {
    const { input } = createArgs(issueCreateInput).parse(args);
    return { success: true, lastSyncId: lastSyncId(), issue: createIssue(store, input, store.viewerId, actor) };
  },
  issueUpdate: (_: unknown, args: Args, { store }: FakeContext) => {
    const { id, input } = updateArgs.parse(args);
    return { success: true, lastSyncId: lastSyncId(), issue: updateIssue(store, id, input, store.viewerId) };
  },
  issueDelete: (_: unknown, args: Args, { store }: FakeContext) => {
    const { id, permanentlyDelete } = deleteArgs.parse(args);
    const issue = deleteIssue(store, id, store.viewerId, permanentlyDelete === true);
    return { success: true, lastSyncId: lastSyncId(), entity: issue };
  },
  attachmentCreate: (_: unknown, args: Args, { store }: FakeContext) => {
    const { input } = createArgs(attachmentCreateInput).parse(args);
    return { success: true, lastSyncId: lastSyncId(), attachment: upsertAttachment(store, input) };
  },
  attachmentDelete: (_: unknown, args: Args, { store }: FakeContext) => {
    const attachment = deleteAttachment(store, idArg.parse(args).id);
    return { success: true, lastSyncId: lastSyncId(), entityId: attachment.id };
  },
  commentCreate: (_: unknown, args: Args, { store, actor }: FakeContext) => {
    const { input } = createArgs(commentCreateInput).parse(args);
    return { success: true, lastSyncId: lastSyncId(), comment: createComment(store, input, store.viewerId, actor) };
  },
  customerUpsert: (_: unknown, args: Args, { store }: FakeContext) => {
    const { input } = createArgs(customerUpsertInput).parse(args);
    return { success: true, lastSyncId: lastSyncId(), customer: upsertCustomer(store, input) };
  },
  customerNeedCreate: (_: unknown, args: Args, { store }: FakeContext) => {
    const { input } = createArgs(customerNeedCreateInput).parse(args);
    return { success: true, lastSyncId: lastSyncId(), need: createCustomerNeed(store, input) };
  },
  customerNeedUpdate: (_: unknown, args: Args, { store }: FakeContext) => {
    const { id, input } = z.object({ id: z.string(), input: customerNeedUpdateInput }).parse(args);
    return { success: true, lastSyncId: lastSyncId(), need: updateCustomerNeed(store, id, input) };
  },
  webhookCreate: (_: unknown, args: Args, { store }: FakeContext) => {
    const { input } = createArgs(webhookCreateInput).parse(args);
    return { success: true, lastSyncId: lastSyncId(), webhook: createWebhook(store, input) };
  },
};
