/* SPDX-License-Identifier: GPL-2.0+ WITH Linux-syscall-note */
/*
 * HiSilicon queue manager user API, numerically identical to mainline
 * Linux include/uapi/misc/uacce/hisi_qm.h.
 */
#ifndef _UAPI_HISI_QM_H
#define _UAPI_HISI_QM_H

#include <linux/types.h>
#include <linux/ioctl.h>

/**
 * struct hisi_qp_ctx - argument of UACCE_CMD_QM_SET_QP_CTX
 * @id: out: queue pair index, the "qn" field of the doorbell
 * @qc_type: in: queue type, e.g. ZIP 0 = compress, 1 = decompress (max 2)
 */
struct hisi_qp_ctx {
	__u16 id;
	__u16 qc_type;
};

/**
 * struct hisi_qp_info - argument of UACCE_CMD_QM_SET_QP_INFO (all outputs)
 * @sqe_size: size of one submission queue entry in bytes
 * @sq_depth: number of SQ entries
 * @cq_depth: number of CQ entries (16 bytes each, right after the SQ)
 * @reserved: zero
 */
struct hisi_qp_info {
	__u32 sqe_size;
	__u16 sq_depth;
	__u16 cq_depth;
	__u64 reserved;
};

#define HISI_QM_API_VER_BASE "hisi_qm_v1"
#define HISI_QM_API_VER2_BASE "hisi_qm_v2"
#define HISI_QM_API_VER3_BASE "hisi_qm_v3"
#define HISI_QM_API_VER5_BASE "hisi_qm_v5"

/* UACCE_CMD_QM_SET_QP_CTX: set the queue type, get the queue pair index */
#define UACCE_CMD_QM_SET_QP_CTX	_IOWR('H', 10, struct hisi_qp_ctx)
/* UACCE_CMD_QM_SET_QP_INFO: get sqe_size and ring depths */
#define UACCE_CMD_QM_SET_QP_INFO _IOWR('H', 11, struct hisi_qp_info)

#endif /* _UAPI_HISI_QM_H */
