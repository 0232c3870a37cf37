// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doorbell trap's x86-64 instruction decoder (echo_decode()), shared
 * with the uacce_echo test device: built into this module from its source,
 * so both modules decode a doorbell store the same way.  x86-64 only.
 */
#include "../uacce/tests/echo_x86.c"
