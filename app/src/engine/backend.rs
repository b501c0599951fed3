//! Where GPO runs: WebGPU when the browser gives an adapter, else Burn's CPU backend (Flex).
//! WebGPU is detected by asking for an adapter (never by `navigator.gpu`, which exists even
//! when no adapter will be given).

use std::cell::RefCell;

use burn::prelude::Device;
use burn::tensor::wgpu::{WgpuInitError, wgpu};

use crate::domain::settings::BackendChoice;

/// The backend in use, as the footer shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct BackendInfo {
    pub gpu: bool,
    /// The WebGPU adapter's name, or "CPU".
    pub label: String,
}

impl BackendInfo {
    pub fn cpu() -> Self {
        Self { gpu: false, label: "CPU (Flex, wasm SIMD)".into() }
    }
}

/// A WebGPU device and how to name it.
#[derive(Clone)]
struct WebGpu {
    device: Device,
    label: String,
    /// A software adapter (e.g. SwiftShader): correct but slow.
    fallback: bool,
}

thread_local! {
    /// Burn initialises a WebGPU runtime once per page; the result (or why not) is kept.
    static WEBGPU: RefCell<Option<Result<WebGpu, String>>> = const { RefCell::new(None) };
}

async fn webgpu() -> Result<WebGpu, String> {
    if let Some(known) = WEBGPU.with_borrow(|cached| cached.clone()) {
        return known;
    }
    let result = match Device::wgpu_options().init_with_setup_async().await {
        Ok((device, setup)) => {
            let info = setup.adapter.get_info();
            let mut label = info.name.trim().to_string();
            if label.is_empty() {
                // Browsers often hide the description; the vendor/architecture may remain.
                label = browser_adapter_label().await.unwrap_or_else(|| "unnamed adapter".into());
            }
            Ok(WebGpu { device, label, fallback: info.device_type == wgpu::DeviceType::Cpu })
        }
        Err(WgpuInitError::AdapterUnavailable { .. }) => Err("the browser offers no WebGPU adapter".to_string()),
        Err(WgpuInitError::RequestDevice { message }) => {
            Err(format!("the WebGPU adapter refused a device: {}", first_line(&message)))
        }
        Err(other) => Err(first_line(&other.to_string())),
    };
    WEBGPU.set(Some(result.clone()));
    result
}

/// The first line of an error, shortened: JavaScript errors carry whole stack traces.
pub fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// `navigator.gpu.requestAdapter()`'s `info` (vendor, architecture, …) as one line.
async fn browser_adapter_label() -> Option<String> {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let navigator = web_sys::window()?.navigator();
    let gpu = Reflect::get(&navigator, &JsValue::from_str("gpu")).ok().filter(|g| g.is_object())?;
    let request: Function = Reflect::get(&gpu, &JsValue::from_str("requestAdapter")).ok()?.dyn_into().ok()?;
    let promise: Promise = request.call0(&gpu).ok()?.dyn_into().ok()?;
    let adapter = wasm_bindgen_futures::JsFuture::from(promise).await.ok().filter(|a| a.is_object())?;
    let info = Reflect::get(&adapter, &JsValue::from_str("info")).ok().filter(|i| i.is_object())?;
    let parts: Vec<String> = ["vendor", "architecture", "device", "description"]
        .into_iter()
        .filter_map(|key| Reflect::get(&info, &JsValue::from_str(key)).ok()?.as_string())
        .filter(|text| !text.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Never use the WebGPU device again in this page (it was lost or failed).
pub fn retire_webgpu(reason: &str) {
    WEBGPU.set(Some(Err(format!("WebGPU failed earlier in this page ({reason})"))));
}

/// A device for `choice`, and a note for the person: why WebGPU was not used when it was
/// wanted, or that its adapter is a slow software one.
pub async fn acquire(choice: BackendChoice) -> (Device, BackendInfo, Option<String>) {
    if choice == BackendChoice::Cpu {
        return (Device::flex(), BackendInfo::cpu(), None);
    }
    match webgpu().await {
        Ok(gpu) => {
            let note = gpu.fallback.then(|| {
                format!(
                    "WebGPU runs on a software adapter here ({}); it is slow. \"Always use the CPU\" in the footer is faster.",
                    gpu.label
                )
            });
            (gpu.device, BackendInfo { gpu: true, label: format!("WebGPU: {}", gpu.label) }, note)
        }
        Err(reason) => (
            Device::flex(),
            BackendInfo::cpu(),
            Some(format!("WebGPU is not available in this browser ({reason}); GPO runs on the CPU.")),
        ),
    }
}
