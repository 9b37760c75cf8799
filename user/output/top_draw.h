/* SPDX-License-Identifier: BSD-2-Clause */
/* The live view on the terminal with ncurses: layout and keys' help, nothing computed. */
#ifndef PB_TOP_DRAW_H
#define PB_TOP_DRAW_H

#include <stdbool.h>

#include "top_model.h"

/* Start ncurses on the terminal; false (terminal untouched) if it cannot. */
bool pb_top_screen_open(void);
/* Give the terminal back as it was. Safe to call twice. */
void pb_top_screen_close(void);

/* Draw v (and the help box over it when help) on the whole screen. */
void pb_top_draw(const struct pb_top_view *v, const struct pb_top_history *h, bool help);

#endif /* PB_TOP_DRAW_H */
