/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The doorbell trap's instruction decoder (echo_x86.c), x86-64 only. */
#ifndef _ECHO_X86_H
#define _ECHO_X86_H

#include <linux/types.h>

struct pt_regs;

/**
 * struct echo_access - a decoded user memory access
 * @store: a store (else a load)
 * @size: 4 or 8 bytes
 * @addr: the address it accesses
 * @val: the value stored (stores)
 * @reg: the destination register (loads)
 * @len: instruction length
 */
struct echo_access {
	bool store;
	unsigned int size;
	unsigned long addr;
	u64 val;
	unsigned long *reg;
	unsigned int len;
};

#ifdef CONFIG_X86_64
/*
 * Decode the user instruction at regs->ip if it is "mov r/m, r" (89),
 * "mov r/m, imm32" (C7 /0) or "mov r, r/m" (8B) on 32 or 64 bits; false
 * for anything else.
 */
bool echo_decode(struct pt_regs *regs, struct echo_access *a);
#else
static inline bool echo_decode(struct pt_regs *regs, struct echo_access *a)
{
	return false;
}
#endif

#endif /* _ECHO_X86_H */
