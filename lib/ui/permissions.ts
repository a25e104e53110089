// Optional host permissions for endpoints, asked from a click. Its own module so the pages
// that only ask (the options page's drives) don't load the redaction code of ./upload.ts.

/**
 * Ask for the endpoints' origins as optional host permissions (one prompt for all). Call it
 * synchronously from the click handler, before any await: browsers only show the prompt
 * inside a user gesture (Firefox strictly so; Chrome within its short transient-activation window).
 */
export function requestEndpointPermission(patterns: string | readonly string[]): Promise<boolean> {
  try {
    return Promise.resolve(browser.permissions.request({ origins: typeof patterns === 'string' ? [patterns] : [...patterns] }));
  } catch (error) {
    return Promise.reject(error);
  }
}
