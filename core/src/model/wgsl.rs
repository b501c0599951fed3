//! Running the project's own WGSL (`shaders/`) on Burn's wgpu tensors, for inference.

use burn::backend::wgpu::{CubeBackend, CubeTensor, KernelSource, SourceKernel, SourceTemplate, into_contiguous};
use burn::backend::{CubeDevice, DispatchDevice};
use burn::cubecl::ir::attributes::BufferIOAttr;
use burn::cubecl::prelude::KernelId;
use burn::cubecl::server::KernelArguments;
use burn::cubecl::{CubeCount, CubeDim};
use burn::tensor::{Bool, DType, Shape, Tensor};

/// Threads per workgroup: a power of two (tree reductions), at most WebGPU's default 256.
const WG: u32 = 64;
/// Longest context kept in workgroup memory: 4 · (MAX_C + WG) bytes ≤ WebGPU's 16 KiB.
const MAX_C: u32 = 2048;
/// WebGPU's default maximum number of workgroups per dimension.
const MAX_GROUPS: usize = 65_535;

struct ContextAttentionKernel;

impl KernelSource for ContextAttentionKernel {
    fn source(&self) -> SourceTemplate {
        SourceTemplate::new(include_str!("../../../shaders/context_attention.wgsl"))
            .register("wg", WG.to_string())
            .register("max_c", MAX_C.to_string())
    }

    // Compiled pipelines are cached by this id: it must change with anything templated in.
    fn id(&self) -> KernelId {
        KernelId::new::<Self>().info((WG, MAX_C)).cube_dim(CubeDim::new_1d(WG).0)
    }

    fn lang(&self) -> &'static str {
        "wgsl"
    }
}

/// An f32 tensor on a wgpu device without autodiff (autodiff, CPU and CUDA tensors are not).
fn on_wgpu<const D: usize>(t: &Tensor<D>) -> bool {
    t.dtype() == DType::F32 && matches!(t.device().as_dispatch(), DispatchDevice::Cube(CubeDevice::Wgpu(_)))
}

/// The contiguous cubecl tensor behind `t` (only call after `on_wgpu`).
fn cube<const D: usize>(t: Tensor<D>) -> Option<CubeTensor> {
    t.try_into_primitive::<CubeBackend>().ok().map(into_contiguous)
}

fn le_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// `softmax(mask_fill(q_h k_hᵀ / √dh, pad, masked)) v_h` for every head h, heads split and merged
/// in the kernel; `None` (nothing launched) when the tensors are not f32 on one wgpu device
/// without autodiff, or the shapes do not fit.
///
/// # Shapes
/// - `q`: `[batch, n, d_model]`; `k`, `v`: `[batch, c, d_model]` (the projections, before the
///   head split); `pad`: `[batch, c]`, true where the context slot is padding
/// - output: `[batch, n, d_model]`
pub fn fused_context_attention(
    q: &Tensor<3>,
    k: &Tensor<3>,
    v: &Tensor<3>,
    pad: &Tensor<2, Bool>,
    heads: usize,
    masked: f32,
) -> Option<Tensor<3>> {
    let [batch, n, dm] = q.dims();
    let c = k.dims()[1];
    let device = q.device();
    let fits = on_wgpu(q)
        && on_wgpu(k)
        && on_wgpu(v)
        && k.device() == device
        && v.device() == device
        && pad.device() == device
        && heads > 0
        && dm.is_multiple_of(heads)
        && k.dims() == [batch, c, dm]
        && v.dims() == [batch, c, dm]
        && pad.dims() == [batch, c]
        && n > 0
        && c > 0
        && c <= MAX_C as usize
        && n <= MAX_GROUPS
        && batch * heads <= MAX_GROUPS;
    if !fits {
        return None;
    }
    let pad = pad.clone().float();
    if !on_wgpu(&pad) {
        return None;
    }
    let (q, k, v, pad) = (cube(q.clone())?, cube(k.clone())?, cube(v.clone())?, cube(pad)?);
    let client = q.client.clone();
    let out_device = q.device.clone();
    let dh = dm / heads;
    let out = client.empty(batch * n * dm * DType::F32.size());
    let scale = 1.0 / (dh as f32).sqrt();
    let params = client.create_from_slice(&le_bytes(&[
        batch as u32,
        n as u32,
        c as u32,
        heads as u32,
        dh as u32,
        scale.to_bits(),
        masked.to_bits(),
    ]));
    // @binding(i) is the i-th buffer; declared IO keeps the inputs readable if a launch fails.
    client.launch(
        Box::new(SourceKernel::new(ContextAttentionKernel, CubeDim::new_1d(WG))),
        CubeCount::Static(n as u32, (batch * heads) as u32, 1),
        KernelArguments::new()
            .with_buffer_io(q.handle.binding(), BufferIOAttr::ReadOnly)
            .with_buffer_io(k.handle.binding(), BufferIOAttr::ReadOnly)
            .with_buffer_io(v.handle.binding(), BufferIOAttr::ReadOnly)
            .with_buffer_io(pad.handle.binding(), BufferIOAttr::ReadOnly)
            .with_buffer_io(out.clone().binding(), BufferIOAttr::WriteOnly)
            .with_buffer_io(params.binding(), BufferIOAttr::ReadOnly),
    );
    let out = CubeTensor::new_contiguous(client, out_device, Shape::new([batch, n, dm]), out, DType::F32);
    Some(Tensor::<3>::from_primitive::<CubeBackend>(out))
}

#[cfg(all(test, feature = "wgpu", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::attention::{MASKED, attend};
    use burn::prelude::Device;
    use burn::tensor::{Distribution, TensorData};

    /// The kernel equals the tensor-op path, with padding, several heads, a context longer than
    /// a workgroup and more queries than context slots. Skipped where no wgpu adapter exists.
    #[test]
    fn fused_kernel_matches_tensor_ops() {
        let Ok(device) = crate::device::DeviceChoice::Wgpu.init() else {
            eprintln!("skipped: no wgpu adapter");
            return;
        };
        for (batch, n, c, dm, heads) in [(2, 7, 5, 16, 4), (3, 150, 97, 64, 4), (1, 3, 1, 8, 1)] {
            let rand = |len: usize| Tensor::<3>::random([batch, len, dm], Distribution::Normal(0.0, 1.0), &device);
            let (q, k, v) = (rand(n), rand(c), rand(c));
            // Every third slot padded, never the first (a fully padded row has no meaning).
            let pad: Vec<bool> = (0..batch * c).map(|i| i % c != 0 && i % 3 == 0).collect();
            let pad = Tensor::<2, Bool>::from_data(TensorData::new(pad, [batch, c]), &device);
            let fused = fused_context_attention(&q, &k, &v, &pad, heads, MASKED).expect("the kernel should launch");
            let reference = attend(q, k, v, pad, heads);
            let diff = (fused - reference).abs().max().into_scalar::<f32>();
            assert!(diff < 1e-4, "batch {batch} n {n} c {c} heads {heads}: max diff {diff}");
        }
    }

    #[test]
    fn declines_what_it_cannot_run() {
        let cpu = Device::flex();
        let t = Tensor::<3>::zeros([1, 2, 8], &cpu);
        let pad = Tensor::<2, Bool>::from_data(TensorData::new(vec![false, false], [1, 2]), &cpu);
        assert!(fused_context_attention(&t, &t, &t, &pad, 2, MASKED).is_none());
    }
}
