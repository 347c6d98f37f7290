/**
 * AMD entry. webpack (`output.library.type: 'amd'`, `export: 'default'`, jquery external) wraps
 * this as `define(['jquery'], function ($) { return LinearWidget; })`, the shape Kommo loads.
 */
import $ from 'jquery';
import { createWidgetConstructor } from './widget';

export default createWidgetConstructor($);
