//! Choosing where tensors run: Burn's CPU backend (Flex), wgpu (Vulkan/Metal/DX12/WebGPU), CUDA.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

/// A backend that cannot be started here.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeviceError {
    #[error("wgpu: no usable adapter ({detail}); use --device cpu")]
    NoAdapter { detail: String },
    #[error("this build has no {backend} backend (build with --features {feature})")]
    NotBuilt { backend: &'static str, feature: &'static str },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceChoice {
    Cpu,
    Wgpu,
    Cuda,
}

impl DeviceChoice {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "cpu" => Some(Self::Cpu),
            "wgpu" => Some(Self::Wgpu),
            "cuda" => Some(Self::Cuda),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Wgpu => "wgpu",
            Self::Cuda => "cuda",
        }
    }

    /// Initialises the device natively; a clear error when the backend is not built in or no
    /// adapter is available.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn init(self) -> Result<Device, DeviceError> {
        match self {
            Self::Cpu => Ok(Device::flex()),
            #[cfg(feature = "wgpu")]
            Self::Wgpu => Device::wgpu_options().init().map_err(|e| DeviceError::NoAdapter { detail: e.to_string() }),
            #[cfg(not(feature = "wgpu"))]
            Self::Wgpu => Err(DeviceError::NotBuilt { backend: "wgpu", feature: "wgpu" }),
            #[cfg(feature = "cuda")]
            Self::Cuda => Ok(Device::cuda(0)),
            #[cfg(not(feature = "cuda"))]
            Self::Cuda => Err(DeviceError::NotBuilt { backend: "CUDA", feature: "cuda" }),
        }
    }
}

/// A short human description of a device (the adapter's name where the backend knows it).
pub fn describe(device: &Device) -> String {
    #[cfg(any(feature = "wgpu", feature = "webgpu", feature = "cuda"))]
    if let Some(identity) = device.identity() {
        return identity.name;
    }
    let debug = format!("{device:?}");
    if debug.contains("Flex") { "CPU (Flex)".to_string() } else { debug }
}

/// Burn keeps one random generator per process (Flex: a global `SEED`), so two models built at
/// once — tests in parallel, folds on threads — would interleave their draws and lose
/// reproducibility. Every seeded draw goes through here: seed and draw under one lock.
static BACKEND_RNG: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Seeds `device`'s random generator and runs `draw` while no other caller can draw from it.
/// Not reentrant: `draw` must not call `seeded` again.
pub fn seeded<R>(device: &Device, seed: u64, draw: impl FnOnce() -> R) -> R {
    let _guard = BACKEND_RNG.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    device.seed(seed);
    draw()
}
