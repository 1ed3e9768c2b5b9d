/**
 * The report link block in the page editor: "Site name" is asked for only with a web address.
 *
 * A Stimulus controller on each report block's form (the block's `form_attrs`), registered on
 * Wagtail's own Stimulus application. The field stays visible while it holds a name, so
 * nothing the editor typed is ever hidden from them.
 */
class ReportLinkController extends window.StimulusModule.Controller {
  connect() {
    this.address = this.element.querySelector('[data-contentpath="url"] input');
    this.siteName = this.element.querySelector('[data-contentpath="site_name"]');
    if (!this.address || !this.siteName) return;
    this.update = this.update.bind(this);
    this.address.addEventListener('input', this.update);
    this.update();
  }

  disconnect() {
    if (this.address) this.address.removeEventListener('input', this.update);
  }

  update() {
    const siteNameInput = this.siteName.querySelector('input');
    const needed = this.address.value.trim() !== '' || (siteNameInput && siteNameInput.value !== '');
    this.siteName.hidden = !needed;
  }
}

window.wagtail.app.register('report-link', ReportLinkController);
