//! Downloading the bundle's files with progress (streamed, so the progress bar moves), into one
//! buffer of the announced size.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, ReadableStreamReadResult, RequestInit, Response};

use crate::browser::js_error;

/// Fetches `url` as bytes, calling `on_chunk(bytes_so_far)` as data arrives.
pub async fn fetch_bytes(url: &str, mut on_chunk: impl FnMut(u64)) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    // Revalidate: a stale cached file would fail its checksum against a fresh manifest.
    init.set_cache(web_sys::RequestCache::NoCache);
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| format!("{url}: {}", js_error(e)))?
        .dyn_into()
        .map_err(js_error)?;
    if !response.ok() {
        return Err(format!("{url}: the server answered HTTP {}", response.status()));
    }
    let Some(body) = response.body() else {
        let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?)
            .await
            .map_err(|e| format!("{url}: {}", js_error(e)))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        on_chunk(bytes.len() as u64);
        return Ok(bytes);
    };
    let reader = ReadableStreamDefaultReader::new(&body).map_err(js_error)?;
    // One buffer of the announced size (the MiniLM weights are 45 MB): no regrowth copies.
    let announced = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    let mut bytes = Vec::with_capacity(announced.unwrap_or(0).min(1 << 30));
    loop {
        let chunk: ReadableStreamReadResult =
            JsFuture::from(reader.read()).await.map_err(|e| format!("{url}: {}", js_error(e)))?.unchecked_into();
        if chunk.get_done().unwrap_or(false) {
            break;
        }
        let data = js_sys::Uint8Array::new(&chunk.get_value());
        let start = bytes.len();
        bytes.resize(start + data.length() as usize, 0);
        data.copy_to(&mut bytes[start..]);
        on_chunk(bytes.len() as u64);
    }
    reader.release_lock();
    Ok(bytes)
}
