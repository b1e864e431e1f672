<?php
/**
 * Plugin Name: {{ organisation }}: call to action
 * Description: The shortcode [asylum_help] (or [asylum_help lang="es"]) places {{ organisation }}'s call to action for this site: a link to the form that embed.js opens in a frame. For authors and editors who may not paste scripts (no unfiltered_html, and everyone but the super admin on Multisite). Generated for partner {{ partner_key }}; works only on the origins registered for it.
 * Version: 1
 * Requires PHP: 7.3
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/* The snippets exactly as {{ organisation }}'s partner page shows them: fixed text,
   nothing an author types reaches the page. */
function asylum_help_snippets() {
	$snippets = array();
{%- for code, snippet in snippets %}
	$snippets['{{ code }}'] = <<<'INTAKE_SNIPPET'
{{ snippet }}
INTAKE_SNIPPET;
{%- endfor %}
	return $snippets;
}

function asylum_help_shortcode( $atts ) {
	$atts     = shortcode_atts( array( 'lang' => '{{ default }}' ), $atts, 'asylum_help' );
	$snippets = asylum_help_snippets();
	$lang     = isset( $snippets[ $atts['lang'] ] ) ? $atts['lang'] : '{{ default }}';
	return $snippets[ $lang ];
}
add_shortcode( 'asylum_help', 'asylum_help_shortcode' );
