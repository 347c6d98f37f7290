/**
 * @linear/sdk, loaded at the first Linear call rather than at start: it is a 3 MB module, a good
 * part of the server's start-up time and about 25 MB of memory that a server which has not
 * called Linear yet does not need.
 */
const importSdk = () => import('@linear/sdk');

export type LinearSdk = Awaited<ReturnType<typeof importSdk>>;

let loading: Promise<LinearSdk> | undefined;
let loaded: LinearSdk | undefined;

export function loadLinearSdk(): Promise<LinearSdk> {
  loading ??= importSdk().then((sdk) => (loaded = sdk));
  return loading;
}

/** The SDK once loaded; before that, nothing can have thrown one of its errors. */
export function loadedLinearSdk(): LinearSdk | undefined {
  return loaded;
}
