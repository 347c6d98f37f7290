/**
 * Builds the Kommo widget: `widget/src` → `dist/widget/script.js` (an AMD module whose factory
 * returns the widget constructor), plus manifest, i18n and images, zipped into `dist/widget.zip`
 * with every file at the archive root (Kommo's upload format, see shared/docs/platform-kommo.md §1).
 */
const path = require('node:path');
const zlib = require('node:zlib');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');
const ZipPlugin = require('zip-webpack-plugin');

const root = path.resolve(__dirname, '..');
const BUDGET_BYTES = 25 * 1024;

/** Prints the size of script.js and fails the build when the gzipped size is over budget. */
class SizeBudgetPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('SizeBudgetPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'SizeBudgetPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        (assets) => {
          const asset = assets['script.js'];
          if (!asset) return;
          const source = asset.buffer();
          const gzipped = zlib.gzipSync(source, { level: 9 }).length;
          process.stdout.write(
            `script.js: ${source.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET_BYTES / 1024} KB)\n`,
          );
          if (gzipped > BUDGET_BYTES) {
            compilation.errors.push(
              new webpack.WebpackError(`script.js is ${gzipped} bytes gzipped, over the ${BUDGET_BYTES} byte budget`),
            );
          }
        },
      );
    });
  }
}

/** swc options: TypeScript + Preact's automatic JSX runtime; webpack keeps the ES modules. */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic', importSource: 'preact' } },
    target: 'es2019',
  },
  module: { type: 'es6' },
};

module.exports = {
  mode: 'production',
  context: root,
  entry: path.join(__dirname, 'src/index.ts'),
  target: ['web', 'es2019'],
  devtool: false,
  output: {
    path: path.join(root, 'dist/widget'),
    filename: 'script.js',
    // `define(['jquery'], factory)`; the factory returns the default export: the widget constructor.
    library: { type: 'amd', export: 'default' },
    clean: true,
  },
  // Provided by Kommo's RequireJS; listed as AMD dependencies instead of being bundled.
  externals: { jquery: 'jquery' },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        include: [path.join(__dirname, 'src'), path.join(root, 'shared')],
        use: { loader: 'swc-loader', options: swcOptions },
      },
    ],
  },
  optimization: { minimize: true },
  performance: { hints: false },
  plugins: [
    new CopyPlugin({
      patterns: [
        { from: path.join(root, 'manifest.json'), to: 'manifest.json' },
        { from: path.join(__dirname, 'i18n'), to: 'i18n' },
        { from: path.join(__dirname, 'images'), to: 'images' },
      ],
    }),
    new ZipPlugin({ path: '..', filename: 'widget.zip' }),
    new SizeBudgetPlugin(),
  ],
};
