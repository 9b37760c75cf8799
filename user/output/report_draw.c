// SPDX-License-Identifier: BSD-2-Clause
/* The report's layout painted with cairo: PNG, SVG or PDF from the same calls. */
#define _GNU_SOURCE /* M_PI */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>

#define FONT "DejaVu Sans"

struct rgb {
	double r, g, b;
};

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

/* One color per traffic class (in enum pb_class order), told apart also by
 * people with the common color vision deficiencies (Tableau 10). */
static const struct rgb class_colors[PB_CLASS_MAX] = {
	RGB(0x4e79a7), RGB(0xf28e2b), RGB(0x59a14f), RGB(0xb07aa1), RGB(0x9c755f), RGB(0xbab0ac),
};
/* Alert types: warm colors apart from the traffic's, the common ones first. */
static const struct rgb alert_colors[PB_ALERT_MAX] = {
	RGB(0xe15759), RGB(0xff9da7), RGB(0xb6382f), RGB(0xf1a340), RGB(0xedc948),
	RGB(0x8c2d04), RGB(0xd37295), RGB(0x79706e), RGB(0xfabfd2),
};
static const struct rgb bar_color = RGB(0x76b7b2),
			text_color = RGB(0x222222), muted = RGB(0x666666), grid = RGB(0xe4e4e4),
			axis_color = RGB(0x444444);

int pb_report_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return -1;
	if (!strcasecmp(dot, ".png"))
		return PB_FMT_PNG;
	if (!strcasecmp(dot, ".svg"))
		return PB_FMT_SVG;
	if (!strcasecmp(dot, ".pdf"))
		return PB_FMT_PDF;
	return -1;
}

static struct rgb series_color(const struct pb_panel *p, int s)
{
	return p->alerts ? alert_colors[p->series[s]] : class_colors[p->series[s]];
}

static void color(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void font(cairo_t *cr, double size, bool bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

/* Text at (x, y) on its baseline; align 0 left, 0.5 centred, 1 right. */
static void text(cairo_t *cr, double x, double y, double align, const char *s)
{
	cairo_move_to(cr, x - align * text_w(cr, s), y);
	cairo_show_text(cr, s);
}

/* s cut with an ellipsis to fit width (a long IPv6 flow in a narrow column). */
static void fit(cairo_t *cr, char *s, double width)
{
	size_t n = strlen(s);

	if (text_w(cr, s) <= width)
		return;
	while (n > 1) {
		/* Step back over UTF-8 continuation bytes to cut between characters. */
		do
			n--;
		while (n > 0 && (s[n] & 0xc0) == 0x80);
		strcpy(s + n, "\u2026");
		if (text_w(cr, s) <= width)
			return;
	}
}

static void legend(cairo_t *cr, const struct pb_panel *p)
{
	double x = p->x + p->w;
	int s;

	font(cr, 12, false);
	for (s = p->n_series - 1; s >= 0; s--) {
		const char *name = pb_panel_series_name(p, s);

		x -= text_w(cr, name);
		color(cr, muted);
		text(cr, x, p->y + 18, 0, name);
		x -= 18;
		color(cr, series_color(p, s));
		cairo_rectangle(cr, x, p->y + 8, 12, 12);
		cairo_fill(cr);
		x -= 14;
	}
}

static void axes(cairo_t *cr, const struct pb_panel *p)
{
	const struct pb_axis *xa = &p->xaxis, *ya = &p->yaxis;
	double bottom = p->py + p->ph;
	int i;

	font(cr, 11, false);
	cairo_set_line_width(cr, 1);
	for (i = 0; i < ya->n_ticks; i++) {
		double y = bottom - ya->ticks[i].v / ya->max * p->ph;

		color(cr, grid);
		cairo_move_to(cr, p->px, y);
		cairo_line_to(cr, p->px + p->pw, y);
		cairo_stroke(cr);
		color(cr, muted);
		text(cr, p->px - 8, y + 4, 1, ya->ticks[i].label);
	}
	for (i = 0; i < xa->n_ticks; i++) {
		double x = p->px + (xa->max > 0 ? xa->ticks[i].v / xa->max * p->pw : 0);

		color(cr, axis_color);
		cairo_move_to(cr, x, bottom);
		cairo_line_to(cr, x, bottom + 5);
		cairo_stroke(cr);
		color(cr, muted);
		text(cr, x, bottom + 18, 0.5, xa->ticks[i].label);
	}
	color(cr, axis_color);
	cairo_move_to(cr, p->px, p->py);
	cairo_line_to(cr, p->px, bottom);
	cairo_line_to(cr, p->px + p->pw, bottom);
	cairo_stroke(cr);
	font(cr, 12, false);
	color(cr, text_color);
	text(cr, p->px + p->pw / 2, bottom + 38, 0.5, xa->title);
	cairo_save(cr);
	cairo_translate(cr, p->x + 14, p->py + p->ph / 2);
	cairo_rotate(cr, -M_PI / 2);
	text(cr, 0, 0, 0.5, ya->title);
	cairo_restore(cr);
}

/* Series stacked bottom up, each a band of steps (one step per bin). */
static int time_panel(cairo_t *cr, const struct pb_report *r, const struct pb_panel *p)
{
	size_t n = r->series.n, i;
	double bw = n ? p->pw / (double)n : 0, bottom = p->py + p->ph, scale = p->ph / p->yaxis.max;
	double *base = calloc(n + 1, sizeof(*base));
	double top;
	int s;

	if (!base)
		return -1;
	legend(cr, p);
	for (s = 0; s < p->n_series; s++) {
		cairo_move_to(cr, p->px, bottom - base[0] * scale);
		for (i = 0; i < n; i++) {
			top = base[i] + pb_panel_value(r, p, s, i);
			cairo_line_to(cr, p->px + i * bw, bottom - top * scale);
			cairo_line_to(cr, p->px + (i + 1) * bw, bottom - top * scale);
		}
		for (i = n; i-- > 0;) {
			cairo_line_to(cr, p->px + (i + 1) * bw, bottom - base[i] * scale);
			cairo_line_to(cr, p->px + i * bw, bottom - base[i] * scale);
			base[i] += pb_panel_value(r, p, s, i);
		}
		cairo_close_path(cr);
		color(cr, series_color(p, s));
		cairo_fill(cr);
	}
	free(base);
	axes(cr, p);
	if (!p->n_series || !r->packets) {
		font(cr, 14, false);
		color(cr, muted);
		text(cr, p->px + p->pw / 2, p->py + p->ph / 2, 0.5, "no packets");
	}
	return 0;
}

static void bars_panel(cairo_t *cr, const struct pb_panel *p)
{
	double label_w = p->w * (p->w > 800 ? 0.36 : 0.30), value_w = 190;
	double bar_max = p->w - label_w - value_w - 16, y;
	char label[PB_REPORT_LABEL + 4];
	int i;

	for (i = 0; i < p->n_bars; i++) {
		const struct pb_bar *b = &p->bars[i];
		double len = b->share * bar_max;

		y = p->py + 8 + i * 24;
		font(cr, 12, false);
		color(cr, text_color);
		snprintf(label, sizeof(label), "%s", b->label);
		fit(cr, label, label_w - 10);
		text(cr, p->x + label_w - 10, y + 13, 1, label);
		color(cr, b->color >= 0 ? class_colors[b->color] : bar_color);
		cairo_rectangle(cr, p->x + label_w, y + 1, len < 1 ? 1 : len, 16);
		cairo_fill(cr);
		font(cr, 11, false);
		color(cr, muted);
		text(cr, p->x + label_w + len + 6, y + 13, 0, b->value);
	}
	if (p->empty) {
		font(cr, 14, false);
		color(cr, muted);
		text(cr, p->x + p->w / 2, p->py + p->ph / 2, 0.5, p->empty);
	}
}

/* 0, or -1 when out of memory. */
static int page(cairo_t *cr, const struct pb_report *r, const struct pb_report_layout *l)
{
	int i;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	font(cr, 22, true);
	color(cr, text_color);
	text(cr, 30, 54, 0, l->title);
	font(cr, 13, false);
	color(cr, muted);
	text(cr, 30, 80, 0, l->subtitle);
	for (i = 0; i < l->n_panels; i++) {
		const struct pb_panel *p = &l->panels[i];

		font(cr, 15, true);
		color(cr, text_color);
		text(cr, p->x, p->y + 18, 0, p->title);
		if (p->kind == PB_PANEL_BARS)
			bars_panel(cr, p);
		else if (time_panel(cr, r, p))
			return -1;
	}
	return 0;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						   : CAIRO_STATUS_WRITE_ERROR;
}

int pb_report_draw(const struct pb_report *r, const struct pb_report_layout *l,
		   enum pb_report_format fmt, FILE *out, const char **why)
{
	cairo_surface_t *sf;
	cairo_status_t st;
	cairo_t *cr;

	if (fmt == PB_FMT_SVG)
		sf = cairo_svg_surface_create_for_stream(to_file, out, l->width, l->height);
	else if (fmt == PB_FMT_PDF)
		sf = cairo_pdf_surface_create_for_stream(to_file, out, l->width, l->height);
	else
		sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)l->width, (int)l->height);
	cr = cairo_create(sf);
	st = page(cr, r, l) ? CAIRO_STATUS_NO_MEMORY : cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && fmt == PB_FMT_PNG)
		st = cairo_surface_write_to_png_stream(sf, to_file, out);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st == CAIRO_STATUS_SUCCESS && fflush(out))
		st = CAIRO_STATUS_WRITE_ERROR;
	if (st != CAIRO_STATUS_SUCCESS) {
		*why = st == CAIRO_STATUS_WRITE_ERROR && errno ? strerror(errno)
							       : cairo_status_to_string(st);
		return -1;
	}
	return 0;
}
