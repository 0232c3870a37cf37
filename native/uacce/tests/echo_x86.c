// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uacce_echo's x86-64 instruction decoding: enough of the instruction set
 * to emulate the one 64-bit store (or load) a user driver makes to the
 * trapped doorbell page.  Built on x86-64 only (see Kbuild).
 */

#include <linux/uaccess.h>
#include <asm/ptrace.h>
#include <asm/unaligned.h>

#include "echo_x86.h"

/* General register @n (ModRM/SIB numbering with the REX bit) of @regs. */
static unsigned long *echo_reg(struct pt_regs *regs, unsigned int n)
{
	switch (n) {
	case 0: return &regs->ax;
	case 1: return &regs->cx;
	case 2: return &regs->dx;
	case 3: return &regs->bx;
	case 4: return &regs->sp;
	case 5: return &regs->bp;
	case 6: return &regs->si;
	case 7: return &regs->di;
	case 8: return &regs->r8;
	case 9: return &regs->r9;
	case 10: return &regs->r10;
	case 11: return &regs->r11;
	case 12: return &regs->r12;
	case 13: return &regs->r13;
	case 14: return &regs->r14;
	default: return &regs->r15;
	}
}


/*
 * Decode the instruction at regs->ip if it is "mov r/m, r" (89), "mov
 * r/m, imm32" (C7 /0) or "mov r, r/m" (8B) on 32 or 64 bits (optional REX
 * prefix, any ModRM/SIB memory operand).  Anything else: false.
 */
bool echo_decode(struct pt_regs *regs, struct echo_access *a)
{
	unsigned int i = 0, rex = 0, mod, reg, rm, base, index;
	bool rip_rel = false;
	unsigned long ea = 0;
	u8 b[15], op, sib;
	s32 disp = 0;

	if (!user_64bit_mode(regs) ||
	    copy_from_user_nofault(b, (void __user *)regs->ip, sizeof(b)))
		return false;
	if ((b[i] & 0xf0) == 0x40)
		rex = b[i++];
	op = b[i++];
	if (op != 0x89 && op != 0xc7 && op != 0x8b)
		return false;
	mod = b[i] >> 6;
	reg = ((b[i] >> 3) & 7) | (rex & 4 ? 8 : 0);
	rm = b[i] & 7;
	i++;
	if (mod == 3 || (op == 0xc7 && (reg & 7)))
		return false;
	if (rm == 4) {
		sib = b[i++];
		index = ((sib >> 3) & 7) | (rex & 2 ? 8 : 0);
		base = (sib & 7) | (rex & 1 ? 8 : 0);
		if (index != 4)
			ea += *echo_reg(regs, index) << (sib >> 6);
		if ((base & 7) == 5 && mod == 0) {
			ea += (long)(s32)get_unaligned_le32(b + i);
			i += 4;
		} else {
			ea += *echo_reg(regs, base);
		}
	} else if (rm == 5 && mod == 0) {
		rip_rel = true;
		disp = get_unaligned_le32(b + i);
		i += 4;
	} else {
		ea += *echo_reg(regs, rm | (rex & 1 ? 8 : 0));
	}
	if (mod == 1) {
		ea += (long)(s8)b[i];
		i += 1;
	} else if (mod == 2) {
		ea += (long)(s32)get_unaligned_le32(b + i);
		i += 4;
	}
	a->size = rex & 8 ? 8 : 4;
	a->store = op != 0x8b;
	a->reg = echo_reg(regs, reg);
	if (op == 0xc7) {
		a->val = (u64)(s64)(s32)get_unaligned_le32(b + i);
		i += 4;
	} else {
		a->val = *a->reg;
	}
	if (a->size == 4)
		a->val = (u32)a->val;
	a->len = i;
	a->addr = rip_rel ? regs->ip + i + disp : ea;
	return true;
}
