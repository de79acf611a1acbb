// comp_ctrl.v - compensation calibration controller (Verilog-2005).
//
// Contract: doc/calibration-contract.md, cycle for cycle; the C golden model
// model/chip/calib.c is the other implementation and the Verilator
// co-simulation (make cosim) compares every output and every count on every
// cycle. Per column a thermometer count n in 0..NROW (row r holds 1 iff
// r < n); on start every count is set to NROW/2 and all rows are written,
// then for step = NROW/2 .. 1 (half-count units: a binary search and a final
// half-step refinement) one compare is requested (cmp_req; the chip makes it
// with compensation row NROW-1 off, half a count above n), the decisions are
// taken on cmp_valid, each count moves against its decision (+1 -> n -
// floor(step/2), -1 -> n + ceil(step/2)) and the changed rows are written,
// one per cycle, lowest first (no write phase when none changed). op_q, the
// calibration operating point, is loaded from op_code by op_we in IDLE or
// DONE and drives cmp_pre (the chip's precharge level of calibration
// compares). Moore outputs; only cnt_out is combinational (from cnt_sel).
// Where the contract is silent the choices match calib.h: cnt_out is 0 for
// cnt_sel >= NCOL; the unused state codes 5..7 return to IDLE.
//
// BUG is a fault-injection hook for the co-simulation's self-test (it proves
// each class of error is caught). It must be 0 in any real use; every BUG
// term is a constant and synthesis removes it.
`default_nettype none

module comp_ctrl #(
	parameter NCOL = 128, // columns, >= 1
	parameter NROW = 32,  // compensation rows, power of two in 4..64
	parameter OPW = 6,    // operating-point code width (CALIB_OP_BITS)
	parameter BUG = 0     // fault injection for co-simulation tests only
) (
	input  wire                                     clk,
	input  wire                                     rst,
	input  wire                                     start,
	input  wire                                     op_we,
	input  wire [OPW-1:0]                           op_code,
	input  wire                                     cmp_valid,
	input  wire [NCOL-1:0]                          cmp_dec,
	input  wire [((NCOL > 1) ? $clog2(NCOL) : 1)-1:0] cnt_sel,
	output wire                                     cmp_req,
	output wire                                     row_we,
	output reg  [$clog2(NROW)-1:0]                  row_addr,
	output wire [NCOL-1:0]                          row_data,
	output wire                                     busy,
	output wire                                     done,
	output wire [$clog2(NROW+1)-1:0]                cnt_out,
	output wire [OPW-1:0]                           cmp_pre
);
	localparam SW = (NCOL > 1) ? $clog2(NCOL) : 1; // cnt_sel width
	localparam RW = $clog2(NROW);                  // row address width
	localparam CW = $clog2(NROW + 1);              // count width (0..NROW)

	localparam [2:0] S_IDLE = 3'd0, S_WRITE = 3'd1, S_REQ = 3'd2,
			 S_WAIT = 3'd3, S_DONE = 3'd4;

	localparam [31:0] N_INIT_I = (BUG == 1) ? NROW / 2 - 1 : NROW / 2;
	localparam [31:0] STEP0_I = NROW / 2;
	localparam [CW-1:0] N_INIT = N_INIT_I[CW-1:0];
	localparam [CW-1:0] STEP0 = STEP0_I[CW-1:0];
	localparam [CW-1:0] ONE = 1;

	// Registered state; the co-simulation reads it every cycle. The counts
	// live in the col[c] blocks (col[c].n_q); n_arr mirrors them.
	reg [2:0]      state_q /* verilator public_flat_rd */;
	reg [NROW-1:0] dirty_q /* verilator public_flat_rd */;
	reg [CW-1:0]   step_q  /* verilator public_flat_rd */;
	reg [OPW-1:0]  op_q    /* verilator public_flat_rd */;

	// Next values for the WAIT -> WRITE transition. Every column moves by
	// mv = ceil(step_q/2) rows (floor = ceil for step_q >= 2; at the final
	// half step a column deciding +1 stays), so its changed rows are
	// [lo, lo + mv) with lo = n - mv (decided +1) or n (decided -1): the
	// dirty set is the set of all moving columns' lo (one-hot, ORed)
	// smeared upwards over mv rows. mv is a power of two, so the smear is
	// log2(NROW) stages of "OR with itself shifted by 2^k while 2^k < mv".
	// This costs a decoder per column instead of 2*NROW comparators per
	// column.
	wire [CW-1:0]   n_arr [0:(1 << SW) - 1] /* verilator public_flat_rd */;
	wire [NROW-1:0] lo_hot [0:NCOL-1]; // one-hot of each column's lo
	reg  [NROW-1:0] lo_seen;           // rows that are some column's lo
	reg  [NROW-1:0] dirty_move;
	reg  [CW-1:0]   span;
	wire [NROW-1:0] dirty_left = dirty_q & (dirty_q - 1'b1);
	wire [CW-1:0]   step_next = (BUG == 2 && step_q == 4) ? ONE : step_q >> 1;
	wire [CW-1:0]   mv = (step_q + ONE) >> 1;      // up move, rows
	// down move: floor(step/2) (BUG 10: the old symmetric +-1 at the end)
	wire [CW-1:0]   mv_dn = (BUG == 10) ? mv : step_q >> 1;
	wire            stay = mv_dn == {CW{1'b0}}; // deciding +1 moves none
	wire            restart = (state_q == S_IDLE || state_q == S_DONE ||
				   BUG == 6) && start;
	wire            take = state_q == S_WAIT && cmp_valid;

	assign busy = state_q == S_WRITE || state_q == S_REQ || state_q == S_WAIT;
	assign done = state_q == S_DONE;
	assign cmp_req = state_q == S_REQ;
	assign row_we = state_q == S_WRITE;
	assign cmp_pre = op_q;
	// op_we is honoured only between calibrations (always under BUG 9).
	wire op_load = op_we && (state_q == S_IDLE || state_q == S_DONE ||
				 BUG == 9);

	// row_addr: lowest set bit of dirty (the highest one under BUG 8).
	integer i;
	always @* begin
		row_addr = {RW{1'b0}};
		if (BUG == 8) begin
			for (i = 0; i < NROW; i = i + 1)
				if (dirty_q[i])
					row_addr = i[RW-1:0];
		end else begin
			for (i = NROW - 1; i >= 0; i = i - 1)
				if (dirty_q[i])
					row_addr = i[RW-1:0];
		end
	end

	genvar c;
	generate
		for (c = 0; c < NCOL; c = c + 1) begin : col
			reg  [CW-1:0] n_q;
			// Column NCOL-1 reads its decision inverted under BUG 3.
			wire          dec = (BUG == 3 && c == NCOL - 1) ? ~cmp_dec[c] : cmp_dec[c];
			wire [CW-1:0] n_dn = n_q - mv_dn;

			always @(posedge clk)
				if (rst || restart)
					n_q <= N_INIT;
				else if (take)
					n_q <= dec ? n_dn : n_q + mv;

			assign lo_hot[c] = (dec && stay) ? {NROW{1'b0}} :
				{{(NROW-1){1'b0}}, 1'b1} << (dec ? n_dn : n_q);
			assign n_arr[c] = n_q;
			if (BUG == 4) begin : bad_data
				assign row_data[c] = {1'b0, row_addr} <= n_q;
			end else begin : data
				assign row_data[c] = {1'b0, row_addr} < n_q;
			end
		end
		// cnt_sel values past the last column read 0.
		for (c = NCOL; c < (1 << SW); c = c + 1) begin : pad
			assign n_arr[c] = {CW{1'b0}};
		end
	endgenerate

	always @* begin
		lo_seen = {NROW{1'b0}};
		for (i = 0; i < NCOL; i = i + 1)
			lo_seen = lo_seen | lo_hot[i];
	end

	// Smear: after stage i the window is 2^(i+1) rows wide (the spans are
	// wrong under BUG 5).
	always @* begin
		dirty_move = lo_seen;
		for (i = 0; i < RW; i = i + 1) begin
			span = (BUG == 5) ? ONE << (i + 1) : ONE << i;
			if (mv > span)
				dirty_move = dirty_move | (dirty_move << span);
		end
	end

	// cnt_out: combinational read of the selected count.
	assign cnt_out = n_arr[cnt_sel];

	always @(posedge clk)
		if (rst)
			op_q <= {OPW{1'b0}};
		else if (op_load)
			op_q <= op_code;

	always @(posedge clk) begin
		if (rst) begin
			state_q <= S_IDLE;
			if (BUG != 7)
				dirty_q <= {NROW{1'b0}};
			step_q <= {CW{1'b0}};
		end else if (restart) begin
			dirty_q <= {NROW{1'b1}};
			step_q <= STEP0;
			state_q <= S_WRITE;
		end else begin
			case (state_q)
			S_WRITE: begin
				dirty_q <= dirty_left;
				if (dirty_left == {NROW{1'b0}})
					state_q <= (step_q == {CW{1'b0}}) ? S_DONE : S_REQ;
			end
			S_REQ:
				state_q <= S_WAIT;
			S_WAIT:
				if (cmp_valid) begin
					dirty_q <= dirty_move;
					step_q <= step_next;
					// no row changed: straight on (BUG 11: an empty write)
					if (dirty_move != {NROW{1'b0}} || BUG == 11)
						state_q <= S_WRITE;
					else
						state_q <= (step_next == {CW{1'b0}}) ? S_DONE : S_REQ;
				end
			S_IDLE, S_DONE: ;
			default:
				state_q <= S_IDLE;
			endcase
		end
	end
endmodule

`default_nettype wire
