/** Every test must assert something: one that returns before its first `expect` fails instead of passing. */
beforeEach(() => {
  expect.hasAssertions();
});
