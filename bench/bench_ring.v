// bench_ring.v - bench_kernel's pipeline scenario as RTL, compiled by
// `make bench` (harness: bench/bench_verilator.cpp): N 32-bit registers in a
// ring, each posedge q[i] <= q[i-1] + 1 and q[0] <= q[N-1] + 1, starting
// from bench_pipe_init(i) = i * 2654435761 (mod 2^32). val = q[sel] lets
// the harness read the result without Verilator's internal names.
module bench_ring #(
    parameter int N = 1000
) (
    input logic clk,
    input logic [31:0] sel,
    output logic [31:0] val
);
  logic [31:0] q[N];

  initial begin
    for (int i = 0; i < N; i++) q[i] = 32'(i) * 32'h9E3779B1;
  end

  for (genvar g = 0; g < N; g++) begin : stage
    always_ff @(posedge clk) q[g] <= q[(g+N-1)%N] + 32'd1;
  end

  assign val = q[sel[$clog2(N)-1:0]];
endmodule
