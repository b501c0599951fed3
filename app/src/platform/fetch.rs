//! Downloading the bundle's files with progress (streamed, so the progress bar moves), into one
//! buffer of the announced size.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, ReadableStreamReadResult, RequestInit, Response};

use crate::domain::error::PageError;
use crate::platform::browser::js_error;

/// Fetches `url` as bytes, calling `on_chunk(bytes_so_far)` as data arrives.
pub async fn fetch_bytes(url: &str, mut on_chunk: impl FnMut(u64)) -> Result<Vec<u8>, PageError> {
    let failed = |e: wasm_bindgen::JsValue| PageError::Download { url: url.to_string(), detail: js_error(e) };
    let window = web_sys::window().ok_or_else(|| PageError::browser("no window"))?;
    let init = RequestInit::new();
    // Revalidate: a stale cached file would fail its checksum against a fresh manifest.
    init.set_cache(web_sys::RequestCache::NoCache);
    let response: Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.dyn_into().map_err(failed)?;
    if !response.ok() {
        let detail = format!("the server answered HTTP {}", response.status());
        return Err(PageError::Download { url: url.to_string(), detail });
    }
    let Some(body) = response.body() else {
        let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        on_chunk(bytes.len() as u64);
        return Ok(bytes);
    };
    let reader = ReadableStreamDefaultReader::new(&body).map_err(failed)?;
    // One buffer of the announced size (the MiniLM weights are 45 MB): no regrowth copies.
    let announced = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    let mut bytes = Vec::with_capacity(announced.unwrap_or(0).min(1 << 30));
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read()).await.map_err(failed)?.unchecked_into();
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
