// Starts the page's program: Trunk's loader, as a file of its own, because the page's
// Content-Security-Policy allows no inline script. Trunk writes the (hashed) names of the
// wasm-bindgen module and the wasm into the script tag that loads this file (Trunk.toml).
const { gpoJs: js, gpoWasm: wasm } = document.querySelector('script[data-gpo-js]').dataset;
const { default: init } = await import(js);
await init({ module_or_path: wasm });
