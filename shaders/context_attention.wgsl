// GPO's context attention, fused, for inference on wgpu (Vulkan/Metal/DX12/GL natively, WebGPU in
// the browser): every query token (context or target) attends only to the context tokens.
// Used by `core/src/model/wgsl.rs`; equal to the tensor-op path to 1e-5 (tested on every run where
// a wgpu adapter exists, and in the browser tests on WebGPU).
//
// Fused multi-head attention for inference, heads split/merged inside the kernel:
//   out[b, i, h*DH + t] = sum_j softmax_j(s[b, h, i, j]) * v[b, j, h*DH + t]
//   s[b, h, i, j]       = pad[b, j] != 0 ? MASKED : scale * sum_t q[b, i, h*DH + t] * k[b, j, h*DH + t]
// q: [B, N, DM], k: [B, C, DM], v: [B, C, DM], pad: [B, C] (f32, nonzero = padded key),
// out: [B, N, DM], DM = H * DH; all contiguous row-major f32.
// One workgroup per (query row i, b * H + h): dispatch CubeCount::Static(N, B * H, 1).
// Requires C <= MAX_C (the host checks and falls back otherwise).
//
// Every binding is read_write on purpose (see the notes): cubecl sub-allocates tensors from shared
// wgpu buffers, and WebGPU refuses one buffer bound both read-only and read-write in a dispatch.
@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> pad: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
// [B, N, C, H, DH, bitcast<u32>(scale), bitcast<u32>(masked)]
@group(0) @binding(5) var<storage, read_write> params: array<u32>;

const WG: u32 = {{ wg }}u;       // power of two, <= 256 (WebGPU default limit)
const MAX_C: u32 = {{ max_c }}u; // 4 * (MAX_C + WG) <= 16384 bytes of workgroup memory

var<workgroup> p: array<f32, MAX_C>;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG, 1, 1)
fn main(
    @builtin(local_invocation_index) lid: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
) {
    let n = params[1];
    let c = params[2];
    let heads = params[3];
    let dh = params[4];
    let scale = bitcast<f32>(params[5]);
    let masked = bitcast<f32>(params[6]);
    let dm = heads * dh;
    let i = wid.x;
    let b = wid.y / heads;
    let h = wid.y % heads;
    let q_off = (b * n + i) * dm + h * dh;
    let kv_base = b * c * dm + h * dh;

    // Scores into workgroup memory, and each thread's running max.
    var local_max = -3.0e38;
    for (var j = lid; j < c; j += WG) {
        let k_off = kv_base + j * dm;
        var s = 0.0;
        for (var t = 0u; t < dh; t++) {
            s += q[q_off + t] * k[k_off + t];
        }
        s *= scale;
        if (pad[b * c + j] != 0.0) {
            s = masked;
        }
        p[j] = s;
        local_max = max(local_max, s);
    }
    red[lid] = local_max;
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
        if (lid < stride) {
            red[lid] = max(red[lid], red[lid + stride]);
        }
        workgroupBarrier();
    }
    let row_max = red[0];
    workgroupBarrier(); // everyone has read red[0] before it is reused

    var local_sum = 0.0;
    for (var j = lid; j < c; j += WG) {
        let e = exp(p[j] - row_max);
        p[j] = e;
        local_sum += e;
    }
    red[lid] = local_sum;
    workgroupBarrier(); // also publishes every p[j] to the whole workgroup
    for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
        if (lid < stride) {
            red[lid] = red[lid] + red[lid + stride];
        }
        workgroupBarrier();
    }
    let inv = 1.0 / red[0];

    // Weighted sum of values, one output column t per thread.
    for (var t = lid; t < dh; t += WG) {
        var acc = 0.0;
        for (var j = 0u; j < c; j++) {
            acc += p[j] * v[kv_base + j * dm + t];
        }
        out[q_off + t] = acc * inv;
    }
}
