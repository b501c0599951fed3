//! Thin, panic-free wrappers over the browser APIs the page uses: timing, localStorage,
//! downloads, focus. Every `JsValue` error becomes a readable message here, at the edge.

use wasm_bindgen::{JsCast, JsValue};

use crate::domain::error::PageError;

/// A readable message from a JavaScript exception or rejection value.
pub fn js_error(value: JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// Milliseconds since the page started (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes `key`; a full storage is [`PageError::StorageFull`] (the old value is still there).
pub fn storage_set(key: &str, value: &str) -> Result<(), PageError> {
    let storage = storage().ok_or_else(|| PageError::browser("this browser keeps no localStorage"))?;
    storage.set_item(key, value).map_err(|error| {
        let name = js_sys::Reflect::get(&error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
        if name.as_deref() == Some("QuotaExceededError") { PageError::StorageFull } else { refused(error) }
    })
}

/// Calls `changed(key, old_value, new_value)` whenever another tab of this origin changes
/// localStorage (`key` is `None` when it was cleared). The listener lives as long as the page.
pub fn on_storage_change(changed: impl Fn(Option<String>, Option<String>, Option<String>) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let listener =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            changed(event.key(), event.old_value(), event.new_value())
        });
    if window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref()).is_ok() {
        listener.forget();
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep_ms(ms: i32) {
    let Some(window) = web_sys::window() else { return };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A browser API's refusal as the page's error.
pub fn refused(value: JsValue) -> PageError {
    PageError::Browser(js_error(value))
}

pub fn storage_remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Every key in localStorage (a snapshot: callers may remove keys while iterating).
pub fn storage_keys() -> Vec<String> {
    let Some(storage) = storage() else { return Vec::new() };
    let count = storage.length().unwrap_or(0);
    (0..count).filter_map(|i| storage.key(i).ok().flatten()).collect()
}

/// The page address's `#fragment`, without the `#`.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default().trim_start_matches('#').to_string()
}

/// Sets (or with "" clears) the address's `#fragment` without adding a history entry.
pub fn set_hash(fragment: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let Ok(path) = window.location().pathname() else { return };
    let search = window.location().search().unwrap_or_default();
    let url = if fragment.is_empty() { format!("{path}{search}") } else { format!("{path}{search}#{fragment}") };
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

/// Offers `contents` as a file download (nothing is sent anywhere: a local object URL).
pub fn download(filename: &str, mime: &str, contents: &str) -> Result<(), PageError> {
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(refused)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(refused)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| PageError::browser("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").map_err(refused)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    let body = document.body().ok_or_else(|| PageError::browser("no body"))?;
    body.append_child(&anchor).map_err(refused)?;
    anchor.click();
    anchor.remove();
    // Revoke later: some browsers read the URL after click() returns.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(5),
    );
    Ok(())
}

/// Scrolls the element with `id` into view and gives it keyboard focus.
pub fn scroll_to_and_focus(id: &str) -> bool {
    let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else {
        return false;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Start);
    element.scroll_into_view_with_scroll_into_view_options(&options);
    if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        let focus = web_sys::FocusOptions::new();
        focus.set_prevent_scroll(true);
        let _ = html.focus_with_options(&focus);
    }
    true
}

/// Shows a last-resort message if the program panics, so a person never faces a blank page.
pub fn install_panic_notice() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(banner) = document.create_element("div") else { return };
        banner.set_class_name("crash");
        let _ = banner.set_attribute("role", "alert");
        let _ = banner.set_attribute("data-testid", "crash");
        // Text, never HTML: the message may quote data.
        banner.set_text_content(Some(&format!(
            "Something went wrong inside the page and it stopped ({info}). Your saved answers are safe; please reload."
        )));
        if let Some(body) = document.body() {
            let _ = body.prepend_with_node_1(&banner);
        }
    }));
}
