/**
 * Every GraphQL operation the server sends to Linear. One request per need, instead of the SDK's
 * lazy models (N+1 requests). A contract test validates each against Linear's published schema.
 */

const ISSUE_FIELDS = `
fragment IssueFields on Issue {
  id identifier title url priority dueDate updatedAt trashed archivedAt
  state { id name type color }
  assignee { id name displayName avatarUrl }
  team { id key }
}`;

export const LINEAR_OPERATIONS = {
  viewer: `query Viewer { viewer { id name email } organization { id name urlKey } }`,
  teams: `query Teams { teams(first: 250) { nodes { id key name } } }`,
  workflowStates: `query TeamStates($teamId: ID!) {
    workflowStates(first: 250, filter: { team: { id: { eq: $teamId } } }) { nodes { id name type color position } }
  }`,
  users: `query Users($after: String) {
    users(first: 250, after: $after) { nodes { id name displayName email active avatarUrl } pageInfo { hasNextPage endCursor } }
  }`,
  projects: `query Projects { projects(first: 250) { nodes { id name } } }`,
  labels: `query Labels { issueLabels(first: 250) { nodes { id name team { id } } } }`,
  /** Every template of the workspace (a plain list, no paging); we keep the issue ones. */
  templates: `query Templates { templates { id name type team { id } templateData } }`,
  issueCreate: `mutation IssueCreate($input: IssueCreateInput!) {
    issueCreate(input: $input) { success issue { ...IssueFields } }
  }
  ${ISSUE_FIELDS}`,
  issue: `query IssueById($id: String!) { issue(id: $id) { ...IssueFields } }
  ${ISSUE_FIELDS}`,
  attachmentCreate: `mutation AttachmentCreate($input: AttachmentCreateInput!) {
    attachmentCreate(input: $input) { success attachment { id url } }
  }`,
  attachmentsForUrl: `query AttachmentsForUrl($url: String!) {
    attachmentsForURL(url: $url, first: 50) { nodes { id url issue { id } } }
  }`,
  attachmentDelete: `mutation AttachmentDelete($id: String!) { attachmentDelete(id: $id) { success } }`,
  searchIssues: `query SearchIssues($term: String!) {
    searchIssues(term: $term, first: 10) { nodes { id identifier title url state { name type color } } }
  }`,
  issuesByIds: `query IssuesByIds($filter: IssueFilter!) {
    issues(first: 100, includeArchived: true, filter: $filter) {
      nodes { ...IssueFields }
    }
  }
  ${ISSUE_FIELDS}`,
  /** Comments made on some issues after a time: the reconciliation of missed Comment webhooks. */
  commentsSince: `query CommentsSince($filter: CommentFilter!, $after: String) {
    comments(first: 100, after: $after, filter: $filter) {
      nodes { id body createdAt user { id name } parent { id user { id } } issue { id } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  commentCreate: `mutation CommentCreate($input: CommentCreateInput!) {
    commentCreate(input: $input) { success comment { id } }
  }`,
  webhookCreate: `mutation WebhookCreate($input: WebhookCreateInput!) {
    webhookCreate(input: $input) { success webhook { id enabled } }
  }`,
  customersEnabled: `query CustomersEnabled { organization { id customersEnabled } }`,
  customerUpsert: `mutation CustomerUpsert($input: CustomerUpsertInput!) {
    customerUpsert(input: $input) { success customer { id name revenue externalIds } }
  }`,
  customerNeedCreate: `mutation CustomerNeedCreate($input: CustomerNeedCreateInput!) {
    customerNeedCreate(input: $input) { success need { id url } }
  }`,
  customerNeedUpdate: `mutation CustomerNeedUpdate($id: String!, $input: CustomerNeedUpdateInput!) {
    customerNeedUpdate(id: $id, input: $input) { success need { id } }
  }`,
  issueNeeds: `query IssueNeeds($id: String!) {
    issue(id: $id) { id needs(first: 100) { nodes { id url customer { id externalIds } } } }
  }`,
} as const;

export type LinearOperationName = keyof typeof LINEAR_OPERATIONS;
