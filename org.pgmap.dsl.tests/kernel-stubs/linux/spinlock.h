/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/pgmap_stubs.h>
