/*
 * Stand-in for drivers/misc/cxl/trace.h: hcalls.c's tracepoints are not traced here; any
 * trace_cxl_* call evaluates to nothing (its arguments were already printed by _PRINT_MSG).
 */
#ifndef HARNESS_TRACE_H
#define HARNESS_TRACE_H
static inline void harness_no_trace(int unused, ...) { (void)unused; }
#define trace_cxl_hcall_attach(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall_detach(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall_control_function(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall_collect_int_info(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall_control_faults(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall_control_facility(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall_download_facility(...) harness_no_trace(0, __VA_ARGS__)
#define trace_cxl_hcall(...) harness_no_trace(0, __VA_ARGS__)
#endif
