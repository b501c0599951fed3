//! Where GPO runs: WebGPU when the browser gives an adapter, else Burn's CPU backend (Flex).
//! WebGPU is detected by asking for an adapter (never by `navigator.gpu`, which exists even
//! when no adapter will be given).

use std::cell::RefCell;

use burn::prelude::Device;

/// What the person asked for (persisted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendChoice {
    /// WebGPU where available, else the CPU.
    Auto,
    /// Always the CPU.
    Cpu,
}

impl BackendChoice {
    pub fn id(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Cpu => "cpu",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "cpu" => Some(Self::Cpu),
            _ => None,
        }
    }
}

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

thread_local! {
    /// Burn initialises a WebGPU runtime once per page; the result (or why not) is kept.
    static WEBGPU: RefCell<Option<Result<Device, String>>> = const { RefCell::new(None) };
}

async fn webgpu_device() -> Result<Device, String> {
    if let Some(known) = WEBGPU.with_borrow(|cached| cached.clone()) {
        return known;
    }
    let result = Device::wgpu_options().init_async().await.map_err(|e| e.to_string());
    WEBGPU.set(Some(result.clone()));
    result
}

/// Never use the WebGPU device again in this page (it was lost or failed).
pub fn retire_webgpu(reason: &str) {
    WEBGPU.set(Some(Err(format!("WebGPU failed earlier in this page ({reason})"))));
}

/// A device for `choice`, and why WebGPU was not used when it was wanted but is unavailable.
pub async fn acquire(choice: BackendChoice) -> (Device, BackendInfo, Option<String>) {
    if choice == BackendChoice::Cpu {
        return (Device::flex(), BackendInfo::cpu(), None);
    }
    match webgpu_device().await {
        Ok(device) => {
            let label = gpo_core::device::describe(&device);
            (device, BackendInfo { gpu: true, label: format!("WebGPU: {label}") }, None)
        }
        Err(reason) => (Device::flex(), BackendInfo::cpu(), Some(reason)),
    }
}
