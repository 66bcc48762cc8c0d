import Foundation
import TLSTool

exit(QUICServerCommand.main())
