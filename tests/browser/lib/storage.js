// Helpers for the localStorage tests: fill the origin's storage to its quota, free it again,
// and read what the page keeps.

/// Fills localStorage with filler entries (not the page's: no "gpo." prefix) until not even 16
/// more characters fit; returns the name of the error the browser gave when it was full.
export async function fillStorage(page) {
  return page.evaluate(() => {
    let size = 1 << 20;
    let i = 0;
    let name = '';
    while (size >= 16) {
      try {
        localStorage.setItem(`filler.${i}`, 'x'.repeat(size));
        i += 1;
      } catch (error) {
        name = error.name;
        size >>= 1;
      }
    }
    return name;
  });
}

/// Removes the filler entries.
export async function freeStorage(page) {
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('filler.')) localStorage.removeItem(key);
  });
}

/// Every localStorage entry of the page's origin.
export async function storageEntries(page) {
  return page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
}
